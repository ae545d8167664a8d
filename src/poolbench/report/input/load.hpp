#pragma once

#include <poolbench/report/input/result.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

// Reads a result file of any supported format (detected from its content).
// Throws input_error with "<path>: <problem>" when the file cannot be read or
// is not benchmark JSON.
[[nodiscard]] result_file load_result_file(const std::filesystem::path& path);

// The same from text already in memory; `label` names it in errors.
[[nodiscard]] result_file parse_result_text(std::string_view text, const std::string& label);

// The same from a document already parsed (or built, as the runner does):
// nothing is written or read back to show what a run measured.
[[nodiscard]] result_file result_from_document(const nlohmann::ordered_json& doc,
                                               const std::string& label);

// Loads every file, in order.
[[nodiscard]] std::vector<result_file> load_result_files(const std::vector<std::string>& paths);

}  // namespace poolbench::report
