#include <poolbench/report/noise_line.hpp>

#include <nlohmann/json.hpp>

#include <optional>

namespace poolbench::report {
namespace {

// The file's reasons when its record says busy; nullopt when quiet or absent.
std::optional<std::string> busy_reasons(const result_file& f) {
  const auto text = f.context_value("noise");
  if (text.empty())
    return std::nullopt;
  const auto record = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!record.is_object())
    return std::string("its noise record is unreadable");
  const auto busy = record.find("busy");
  if (busy != record.end() && busy->is_boolean() && !busy->get<bool>())
    return std::nullopt;
  std::string out;
  if (const auto r = record.find("reasons"); r != record.end() && r->is_array()) {
    for (const auto& why : *r) {
      if (why.is_string())
        out += (out.empty() ? "" : "; ") + why.get<std::string>();
    }
  }
  return out.empty() ? std::string("busy") : out;
}

}  // namespace

std::string busy_machine_line(const std::vector<result_file>& files) {
  std::string out;
  for (const auto& f : files) {
    const auto why = busy_reasons(f);
    if (!why)
      continue;
    out += (out.empty() ? "Measured on a busy machine: " : "; ") + f.path + " (" + *why + ")";
  }
  if (out.empty())
    return out;
  return out + ". Its numbers may be noise (docs/noise.md).";
}

}  // namespace poolbench::report
