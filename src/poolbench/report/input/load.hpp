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

// The first half of load_result_file and parse_result_text: the file's text
// checked and parsed as JSON, not yet read as results (result_from_document),
// for a program that must see every file's recorded strategies before it
// reads any benchmark name. Throws input_error as they do.
[[nodiscard]] nlohmann::ordered_json read_result_document(const std::filesystem::path& path);
[[nodiscard]] nlohmann::ordered_json parse_result_document(std::string_view text,
                                                           const std::string& label);

// The strategies a Google Benchmark document's context records (the
// runner's registered names and traits), or nullptr.
[[nodiscard]] const nlohmann::ordered_json* recorded_strategies(const nlohmann::ordered_json& doc);

// Loads every file, in order.
[[nodiscard]] std::vector<result_file> load_result_files(const std::vector<std::string>& paths);

}  // namespace poolbench::report
