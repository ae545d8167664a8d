#include <poolbench/report/input/load.hpp>

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/loaders.hpp>
#include <poolbench/report/input/recorded_rule.hpp>

#include <poolbench/results/benchmark_json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace poolbench::report {
namespace {

using json = nlohmann::ordered_json;

// nlohmann's messages start with "[json.exception.parse_error.101] parse
// error at "; keep the position and the reason.
std::string parse_problem(const json::parse_error& e, std::size_t text_size) {
  std::string what = e.what();
  if (const auto at = what.find("parse error at "); at != std::string::npos) {
    what = what.substr(at + std::strlen("parse error at "));
  }
  // Failing on the last byte means the text stopped early (a cut-off write),
  // whatever token nlohmann was in the middle of.
  const bool truncated = e.byte >= text_size || what.find("end of input") != std::string::npos;
  return std::string(truncated ? "truncated JSON at " : "invalid JSON at ") + what;
}

bool looks_like_pytest_benchmark(const json& doc) {
  if (doc.contains("machine_info"))
    return true;
  const auto& benchmarks = doc["benchmarks"];
  return !benchmarks.empty() && benchmarks.front().is_object() &&
         benchmarks.front().contains("stats");
}

}  // namespace

result_file parse_result_text(std::string_view text, const std::string& label) {
  return result_from_document(parse_result_document(text, label), label);
}

nlohmann::ordered_json parse_result_document(std::string_view text, const std::string& label) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw input_error(label + ": empty file, expected benchmark JSON");
  }
  // JSON has no raw control characters but tab, CR and LF, not even in
  // strings: one anywhere means an image, an archive, an executable...
  if (std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 && c != '\t' && c != '\r' && c != '\n';
      })) {
    throw input_error(label + ": not JSON (binary data)");
  }
  json doc;
  // NaN and Infinity (Google Benchmark, Python) read as null: absent values.
  const std::string strict = results::without_non_finite_literals(text);
  try {
    doc = json::parse(strict);
  } catch (const json::parse_error& e) {
    throw input_error(label + ": " + parse_problem(e, strict.size()));
  }
  return doc;
}

const nlohmann::ordered_json* recorded_strategies(const nlohmann::ordered_json& doc) {
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array() ||
      looks_like_pytest_benchmark(doc))
    return nullptr;
  const auto context = doc.find("context");
  if (context == doc.end() || !context->is_object())
    return nullptr;
  const auto strategies = context->find("strategies");
  return strategies == context->end() ? nullptr : &*strategies;
}

result_file result_from_document(const nlohmann::ordered_json& doc, const std::string& label) {
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array()) {
    throw input_error(label +
                      ": not benchmark JSON: expected an object with a \"benchmarks\" array "
                      "(Google Benchmark or pytest-benchmark output)");
  }
  try {
    if (looks_like_pytest_benchmark(doc))
      return detail::load_pytest_benchmark(doc, label);
    auto file = detail::load_google_benchmark(doc, label);
    // A corrupt rule record fails here, with the other unreadable input,
    // not later in whichever claim first asks for it.
    (void)recorded_sequential_settings(file);
    return file;
  } catch (const json::exception& e) {
    // A key of the wrong type somewhere deep: still one clear line.
    throw input_error(label + ": unexpected benchmark JSON layout: " + e.what());
  }
}

nlohmann::ordered_json read_result_document(const std::filesystem::path& path) {
  const std::string label = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw input_error(label + ": is a directory, expected a JSON result file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw input_error(label + ": cannot open: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    throw input_error(label + ": read failed: " + std::strerror(errno));
  return parse_result_document(text.str(), label);
}

result_file load_result_file(const std::filesystem::path& path) {
  return result_from_document(read_result_document(path), path.string());
}

std::vector<result_file> load_result_files(const std::vector<std::string>& paths) {
  std::vector<result_file> files;
  files.reserve(paths.size());
  for (const auto& p : paths)
    files.push_back(load_result_file(p));
  return files;
}

}  // namespace poolbench::report
