#include <poolbench/runner/result_file.hpp>

#include <poolbench/runner/scratch_file.hpp>

#include <poolbench/results/benchmark_json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace poolbench::runner {
namespace {

using nlohmann::ordered_json;

// Rounded to a nanosecond: more digits are noise and only grow the file.
double in_unit(double seconds, double seconds_per_unit) {
  const double ns_per_unit = seconds_per_unit * 1e9;
  return std::round(seconds / seconds_per_unit * ns_per_unit) / ns_per_unit;
}

void put_finite(ordered_json& j, const std::string& key, double value) {
  if (std::isfinite(value))
    j[key] = value;
}

// p50/p90/p99/max of service and queue time over every timed request of
// the case, in the benchmark's time unit: latency_histogram::percentile,
// read from the histograms the loop kept (the max is exact).
ordered_json latency_summary(const case_record& record, double seconds_per_unit) {
  ordered_json out;
  out["requests"] = record.service.count();
  for (const auto& [label, histogram] :
       {std::pair<const char*, const results::latency_histogram*>{"service", &record.service},
        {"queue", &record.queue}}) {
    if (histogram->count() == 0)
      continue;
    for (const auto& [suffix, p] : {std::pair<const char*, double>{"_p50", 0.50},
                                    {"_p90", 0.90},
                                    {"_p99", 0.99},
                                    {"_max", 1.0}}) {
      out[std::string(label) + suffix] = in_unit(histogram->percentile(p), seconds_per_unit);
    }
  }
  return out;
}

std::vector<double> thinned(const std::vector<double>& rounds, std::size_t max_kept,
                            double seconds_per_unit) {
  const std::size_t n = rounds.size();
  const std::size_t keep = std::min(n, max_kept);
  std::vector<double> kept;
  kept.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i)
    kept.push_back(in_unit(rounds[i * n / keep], seconds_per_unit));
  return kept;
}

// Per benchmark, the unit its mean round time reads 10 or more in.
std::map<std::string, std::string> units_by_name(const std::vector<collected_run>& runs) {
  std::map<std::string, std::pair<double, std::size_t>> sums;
  for (const auto& run : runs) {
    if (run.aggregate || run.error_occurred || !std::isfinite(run.real_s))
      continue;
    auto& [sum, n] = sums[run.name];
    sum += run.real_s;
    ++n;
  }
  std::map<std::string, std::string> units;
  for (const auto& run : runs) {
    const auto it = sums.find(run.name);
    const double mean = it == sums.end() ? 0.0 : it->second.first / it->second.second;
    units.emplace(run.name, results::time_unit_for(mean));
  }
  return units;
}

// Google Benchmark's keys, in its JSON reporter's order.
ordered_json base_run(const collected_run& run, const std::string& unit) {
  ordered_json j;
  j["name"] = run.aggregate ? run.name + "_" + run.aggregate_name : run.name;
  j["family_index"] = run.family_index;
  j["per_family_instance_index"] = run.per_family_instance_index;
  j["run_name"] = run.name;
  j["run_type"] = run.aggregate ? "aggregate" : "iteration";
  j["repetitions"] = run.repetitions;
  if (!run.aggregate)
    j["repetition_index"] = run.repetition_index;
  j["threads"] = run.threads;
  if (run.aggregate) {
    j["aggregate_name"] = run.aggregate_name;
    j["aggregate_unit"] = run.percentage ? "percentage" : "time";
  }
  if (run.error_occurred) {
    j["error_occurred"] = true;
    j["error_message"] = run.error_message;
  }
  j["iterations"] = run.iterations;
  const double per_unit = run.percentage ? 1.0 : results::seconds_per_unit(unit);
  put_finite(j, "real_time", run.real_s / per_unit);
  put_finite(j, "cpu_time", run.cpu_s / per_unit);
  j["time_unit"] = unit;
  for (const auto& [key, value] : run.counters)
    put_finite(j, key, value);
  return j;
}

// A case that failed in any repetition is a failed case in every run: no
// survivor statistics for a reader (or compare.py) to take as its result.
void mark_failed(ordered_json& run, const std::string& error) {
  if (!run.value("error_occurred", false)) {
    run["error_occurred"] = true;
    run["error_message"] = "another repetition of this case failed: " + error;
  }
}

}  // namespace

std::map<std::string, std::vector<double>> recorded_repetition_seconds(
    const std::vector<collected_run>& runs) {
  const auto units = units_by_name(runs);
  std::map<std::string, std::vector<double>> out;
  for (const auto& run : runs) {
    if (run.aggregate || run.error_occurred)
      continue;
    // What base_run writes, read back as a reader converts it.
    const double per_unit = results::seconds_per_unit(units.at(run.name));
    const double recorded = run.real_s / per_unit;
    if (std::isfinite(recorded))
      out[run.name].push_back(recorded * per_unit);
  }
  return out;
}

ordered_json build_result_document(const std::vector<collected_run>& runs,
                                   const ordered_json& machine, const result_additions& additions) {
  const auto units = units_by_name(runs);
  std::map<std::string, ordered_json> latencies;  // read once per case
  bool thinned_any = false;
  ordered_json benchmarks = ordered_json::array();
  for (const auto& run : runs) {
    const auto found = additions.records.find(run.name);
    const case_record* record = found == additions.records.end() ? nullptr : &found->second;
    const bool failed_case = record != nullptr && !record->error.empty();
    if (failed_case && run.aggregate)
      continue;  // statistics of the survivors: dropped
    const std::string& unit = units.at(run.name);
    auto j = base_run(run, unit);
    if (const auto w = additions.workloads.find(run.name); w != additions.workloads.end())
      j["workload"] = results::to_json(w->second);
    if (failed_case) {
      mark_failed(j, record->error);
    } else if (!run.aggregate && !run.error_occurred) {
      if (const auto extra = additions.run_extras.find(run.name);
          extra != additions.run_extras.end()) {
        for (const auto& [key, value] : extra->second.items())
          j[key] = value;
      }
      const double per_unit = results::seconds_per_unit(unit);
      if (record != nullptr && run.repetition_index >= 0 &&
          static_cast<std::size_t>(run.repetition_index) < record->rounds.size()) {
        const auto& rounds = record->rounds[static_cast<std::size_t>(run.repetition_index)];
        // The closed loop may have thinned them already (it keeps a bounded
        // number per repetition): the run's iterations are every round.
        thinned_any = thinned_any || rounds.size() > additions.max_samples_per_run ||
                      static_cast<std::int64_t>(rounds.size()) < run.iterations;
        j["samples"] = thinned(rounds, additions.max_samples_per_run, per_unit);
      }
      if (record != nullptr && record->service.count() > 0) {
        auto& latency = latencies[run.name];
        if (latency.is_null())
          latency = latency_summary(*record, per_unit);
        j["latency"] = latency;
      }
    }
    benchmarks.push_back(std::move(j));
  }

  ordered_json doc;
  auto& context = doc["context"];
  context = machine.is_object() ? machine : ordered_json::object();
  const std::string limit = std::to_string(additions.max_samples_per_run);
  context["samples_note"] =
      thinned_any
          ? "samples: per-round wall times in each run's time_unit; runs with more than " + limit +
                " rounds keep " + limit + " evenly spaced rounds (the counters use every round)"
          : std::string("samples: every round of every repetition, in each run's time_unit");
  for (const auto& [key, value] : additions.context.items())
    context[key] = value;
  doc["benchmarks"] = std::move(benchmarks);
  if (!additions.run_order.empty())
    doc["run_order"] = additions.run_order;
  return doc;
}

void write_result_file(const std::string& destination, const ordered_json& doc) {
  write_file_atomically(destination, doc.dump(2) + "\n");
}

std::string failed_out_path(const std::string& out) {
  constexpr std::string_view json = ".json";
  if (out.size() > json.size() && out.compare(out.size() - json.size(), json.size(), json) == 0)
    return out.substr(0, out.size() - json.size()) + ".failed.json";
  return out + ".failed.json";
}

}  // namespace poolbench::runner
