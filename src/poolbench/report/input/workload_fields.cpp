// What every loaded Google Benchmark file gets beside its timings: each
// run's typed workload (its "workload" fields, else its name parsed, for
// files of earlier versions) with the grouping parameters derived from it,
// and an open-loop run's "open_loop" and "histogram" objects. Kept apart
// from google_benchmark_json.cpp, which reads the timings.

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/loaders.hpp>

#include <poolbench/results/benchmark_json.hpp>

#include <algorithm>
#include <stdexcept>

namespace poolbench::report::detail {
namespace {

using json = nlohmann::ordered_json;

bool is_iteration(const json& run) {
  const auto it = run.find("run_type");
  return it == run.end() || !it->is_string() || it->get<std::string>() == "iteration";
}

double number_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? number_or_nan(json()) : number_or_nan(*it);
}

latency_percentiles percentiles_of(const json& object) {
  latency_percentiles p;
  if (!object.is_object())
    return p;
  p.p50 = number_at(object, "p50");
  p.p90 = number_at(object, "p90");
  p.p99 = number_at(object, "p99");
  p.p999 = number_at(object, "p999");
  p.max = number_at(object, "max");
  return p;
}

// One reader of the histogram for the runner, merge and this loader
// (poolbench::results); its errors get the file and benchmark named.
results::latency_histogram histogram_of(const json& h, double max_s, const std::string& label,
                                        const std::string& name) {
  try {
    return results::latency_histogram::from_json(h, max_s);
  } catch (const std::invalid_argument& ex) {
    throw input_error(label + ": benchmark \"" + name + "\": " + ex.what());
  }
}

open_loop_run open_loop_of(const json& run, const std::string& label, const std::string& name) {
  const json& ol = run["open_loop"];
  open_loop_run out;
  out.offered_rate = number_at(ol, "offered_rate");
  out.achieved_rate = number_at(ol, "achieved_rate");
  out.requests = count_of(number_at(ol, "requests"));
  out.completed = count_of(number_at(ol, "completed"));
  out.incomplete = count_of(number_at(ol, "incomplete"));
  if (const auto it = ol.find("latency_s"); it != ol.end())
    out.latency = percentiles_of(*it);
  if (const auto it = ol.find("service_s"); it != ol.end())
    out.service = percentiles_of(*it);
  if (const auto it = run.find("histogram"); it != run.end() && it->is_object())
    out.histogram = histogram_of(*it, out.latency.max, label, name);
  return out;
}

}  // namespace

std::optional<results::workload> workload_of(const json& run, const std::string& label,
                                             const std::string& name) {
  if (const auto it = run.find("workload"); it != run.end()) {
    try {
      return results::workload_from_json(*it);
    } catch (const std::exception& e) {
      throw input_error(label + ": benchmark \"" + name + "\": " + e.what());
    }
  }
  return results::parse_case_name(name);
}

void complete_poolbench_fields(const std::vector<const json*>& runs, const std::string& label,
                               benchmark_result& b) {
  const auto it =
      std::find_if(runs.begin(), runs.end(), [](const json* r) { return is_iteration(*r); });
  const json* first = it == runs.end() ? nullptr : *it;
  if (!b.workload)
    b.workload = first ? workload_of(*first, label, b.name) : results::parse_case_name(b.name);
  if (b.workload) {
    for (auto& [key, value] : results::parameters(*b.workload))
      b.params[key] = value;
    if (results::no_pool_to_size(b.workload->strategy)) {
      // The floor and unbounded have no pool: no mode to group or chart
      // them by, and workers only where the name has them (a floor with
      // fewer in flight than its batch), as parameters() gives them.
      b.params.erase("mode");
    }
  }
  // The first repetition's: an open-loop case runs once. A failed run (or
  // one whose section is missing) is still an open-loop row, at its rate.
  if (first && !b.failed() && first->contains("open_loop") && (*first)["open_loop"].is_object()) {
    b.open_loop = open_loop_of(*first, label, b.name);
  } else if (b.workload && b.workload->open_loop) {
    b.open_loop = open_loop_run{};
    b.open_loop->offered_rate = b.workload->open_loop->rate;
  }
}

}  // namespace poolbench::report::detail
