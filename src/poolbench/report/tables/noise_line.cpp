#include <poolbench/report/tables/noise_line.hpp>
#include <poolbench/report/tables/units.hpp>

#include <nlohmann/json.hpp>

#include <optional>

namespace poolbench::report {
namespace {

// The file's noise record (not an object when unreadable); nullptr when the
// file has none.
const nlohmann::ordered_json* noise_record(const result_file& f) {
  const auto* record = f.context_json("noise");
  if (record == nullptr || record->is_null() || (record->is_string() && record->empty()))
    return nullptr;
  return record;
}

// The record's reasons when it says busy; nullopt when quiet.
std::optional<std::string> busy_reasons(const nlohmann::ordered_json& record) {
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

double number_in(const nlohmann::ordered_json& record, const char* key) {
  const auto v = record.find(key);
  return v != record.end() && v->is_number() ? v->get<double>() : -1;
}

// "at load 0.77 on 2 CPUs (...)" from a quiet record; "" when its numbers
// are missing (an older or foreign record: nothing is guessed).
std::string quiet_readings(const nlohmann::ordered_json& record) {
  const double load = number_in(record, "load_1m");
  const double cpus = number_in(record, "cpus");
  const double others = number_in(record, "other_cpus");
  if (load < 0 || cpus < 1 || others < 0)
    return {};
  std::string out = "at load " + format_fixed(load, 2) + " on " + format_fixed(cpus, 0) + " CPUs";
  if (const auto stale = record.find("stale_load"); stale != record.end() && stale->is_object())
    out += ", left from earlier work (" + format_fixed(number_in(*stale, "run_queue"), 2) +
           " other tasks runnable over " + format_fixed(number_in(*stale, "window_s"), 1) + " s)";
  out += " (other processes " + format_fixed(others, 2) + " CPUs";
  if (const double pressure = number_in(record, "cpu_pressure"); pressure >= 0)
    out += ", CPU pressure " + format_fixed(pressure * 100, 1) + "%";
  if (const double cv = number_in(record, "calibration_cv"); cv >= 0)
    out += ", calibration CV " + format_fixed(cv * 100, 1) + "%";
  if (const auto r = record.find("rechecks"); r != record.end() && r->is_array() && !r->empty())
    out += "; " + std::to_string(r->size()) + " of " + std::to_string(r->size()) +
           " re-checks between cases quiet";
  return out + ")";
}

}  // namespace

std::string quiet_machine_line(const std::vector<result_file>& files) {
  std::string out;
  for (const auto& f : files) {
    const auto record = noise_record(f);
    if (!record || busy_reasons(*record))
      continue;  // unrecorded, busy or unreadable
    const auto readings = quiet_readings(*record);
    if (!readings.empty())
      out += (out.empty() ? "Measured on a quiet machine: " : "; ") + f.path + " " + readings;
  }
  return out.empty() ? out : out + ".";
}

std::string busy_machine_line(const std::vector<result_file>& files) {
  std::string out;
  for (const auto& f : files) {
    const auto record = noise_record(f);
    const auto why = record ? busy_reasons(*record) : std::nullopt;
    if (!why)
      continue;
    out += (out.empty() ? "Measured on a busy machine: " : "; ") + f.path + " (" + *why + ")";
  }
  if (out.empty())
    return out;
  return out + ". Its numbers may be noise (docs/noise.md).";
}

}  // namespace poolbench::report
