#include <poolbench/report/input/result.hpp>

namespace poolbench::report {

const char* to_string(source_format format) noexcept {
  switch (format) {
    case source_format::poolbench:
      return "poolbench";
    case source_format::google_benchmark:
      return "google-benchmark";
    case source_format::pytest_benchmark:
      return "pytest-benchmark";
  }
  return "unknown";
}

const nlohmann::ordered_json* result_file::context_json(const std::string& key) const {
  for (const auto& [k, v] : context) {
    if (k == key)
      return &v;
  }
  return nullptr;
}

std::string result_file::context_value(const std::string& key) const {
  const auto* v = context_json(key);
  if (v == nullptr || v->is_null())
    return "";
  return v->is_string() ? v->get<std::string>() : v->dump();
}

}  // namespace poolbench::report
