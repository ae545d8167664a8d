#include <poolbench/runner/result_file.hpp>

#include <poolbench/runner/scratch_file.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace poolbench::runner {
namespace {

double seconds_to(const std::string& unit) {
  if (unit == "ns")
    return 1e9;
  if (unit == "us")
    return 1e6;
  if (unit == "ms")
    return 1e3;
  if (unit == "s")
    return 1.0;
  throw std::runtime_error("unknown time_unit '" + unit + "'");
}

// Rounded to a nanosecond: more digits are noise and only grow the file.
double round_to_ns(double value, double per_second) {
  const double ns_per_unit = 1e9 / per_second;
  return std::round(value * ns_per_unit) / ns_per_unit;
}

// Google Benchmark writes NaN and inf as bare words (e.g. the "cv" aggregate
// of a counter whose mean is 0), which is not JSON. They become null here
// and are then dropped from their run: an absent value, not a fake number.
std::string without_non_finite(const std::string& text) {
  static const std::regex bare(R"((:\s*)-?(NaN|nan|inf|Infinity)\b)");
  return std::regex_replace(text, bare, "$1null");
}

void drop_nulls(nlohmann::ordered_json& run) {
  for (auto it = run.begin(); it != run.end();) {
    it = it->is_null() ? run.erase(it) : std::next(it);
  }
}

// Linear interpolation between closest ranks; `sorted` must be sorted.
double percentile(const std::vector<double>& sorted, double p) {
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(rank));
  const auto high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - static_cast<double>(low));
}

// p50/p99 of service and queue time over every timed request of the case,
// in the run's time unit.
nlohmann::ordered_json latency_summary(const case_record& record, double per_second) {
  nlohmann::ordered_json out;
  out["requests"] = record.service.size();
  for (const auto& [label, values] :
       {std::pair<const char*, const std::vector<double>*>{"service", &record.service},
        {"queue", &record.queue}}) {
    if (values->empty())
      continue;
    auto sorted = *values;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [suffix, p] : {std::pair<const char*, double>{"_p50", 0.50},
                                    {"_p90", 0.90},
                                    {"_p99", 0.99},
                                    {"_max", 1.0}}) {
      out[std::string(label) + suffix] =
          round_to_ns(percentile(sorted, p) * per_second, per_second);
    }
  }
  return out;
}

std::vector<double> thinned(const std::vector<double>& rounds, std::size_t max_kept,
                            double per_second) {
  const std::size_t n = rounds.size();
  const std::size_t keep = std::min(n, max_kept);
  std::vector<double> kept;
  kept.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i)
    kept.push_back(round_to_ns(rounds[i * n / keep] * per_second, per_second));
  return kept;
}

nlohmann::ordered_json read_benchmark_json(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error(path + ": cannot read the benchmark output");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::ordered_json doc;
  try {
    doc = nlohmann::ordered_json::parse(without_non_finite(text.str()));
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path + ": not JSON: " + e.what());
  }
  if (!doc.contains("benchmarks") || !doc["benchmarks"].is_array())
    throw std::runtime_error(path + ": no 'benchmarks' array");
  return doc;
}

// A case that failed in any repetition is a failed case in every run: no
// survivor statistics for a reader (or compare.py) to take as its result.
void mark_failed(nlohmann::ordered_json& run, const std::string& error) {
  if (!run.value("error_occurred", false)) {
    run["error_occurred"] = true;
    run["error_message"] = "another repetition of this case failed: " + error;
  }
  for (const char* key : {"samples", "latency"})
    run.erase(key);
}

}  // namespace

std::string clean_benchmark_name(const std::string& name) {
  static const std::regex suffix(R"((/iterations:\d+)?(/repeats:\d+)?(/manual_time)?$)");
  return std::regex_replace(name, suffix, "");
}

void finish_result_file(const std::string& gb_output, const std::string& destination,
                        const result_additions& additions) {
  auto doc = read_benchmark_json(gb_output);
  bool thinned_any = false;
  std::map<std::pair<std::string, double>, nlohmann::ordered_json>
      latencies;  // sorted once per case
  nlohmann::ordered_json kept_runs = nlohmann::ordered_json::array();
  for (auto& run : doc["benchmarks"]) {
    drop_nulls(run);
    const std::string run_name = clean_benchmark_name(run.value("run_name", run.value("name", "")));
    run["run_name"] = run_name;
    const bool aggregate = run.value("run_type", "") == "aggregate";
    run["name"] = aggregate ? run_name + "_" + run.value("aggregate_name", "") : run_name;
    const auto found = additions.records.find(run_name);
    const case_record* record = found == additions.records.end() ? nullptr : &found->second;
    if (record != nullptr && !record->error.empty()) {
      if (aggregate)
        continue;  // statistics of the survivors: dropped
      mark_failed(run, record->error);
      kept_runs.push_back(std::move(run));
      continue;
    }
    if (const auto extra = additions.run_extras.find(run_name);
        !aggregate && !run.value("error_occurred", false) && extra != additions.run_extras.end()) {
      for (const auto& [key, value] : extra->second.items())
        run[key] = value;
    }
    if (!aggregate && !run.value("error_occurred", false) && record != nullptr) {
      const auto repetition = run.value("repetition_index", std::int64_t{0});
      const double per_second = seconds_to(run.value("time_unit", "ns"));
      if (repetition >= 0 && static_cast<std::size_t>(repetition) < record->rounds.size()) {
        const auto& rounds = record->rounds[static_cast<std::size_t>(repetition)];
        thinned_any = thinned_any || rounds.size() > additions.max_samples_per_run;
        run["samples"] = thinned(rounds, additions.max_samples_per_run, per_second);
      }
      if (!record->service.empty()) {
        auto& latency = latencies[{run_name, per_second}];
        if (latency.is_null())
          latency = latency_summary(*record, per_second);
        run["latency"] = latency;
      }
    }
    kept_runs.push_back(std::move(run));
  }
  doc["benchmarks"] = std::move(kept_runs);

  const std::string limit = std::to_string(additions.max_samples_per_run);
  auto& context = doc["context"];
  context["samples_note"] =
      thinned_any
          ? "samples: per-round wall times in each run's time_unit; runs with more than " + limit +
                " rounds keep " + limit + " evenly spaced rounds (the counters use every round)"
          : std::string("samples: every round of every repetition, in each run's time_unit");
  for (auto& [key, value] : additions.context.items())
    context[key] = value;
  if (!additions.run_order.empty())
    doc["run_order"] = additions.run_order;
  write_file_atomically(destination, doc.dump(2) + "\n");
}

}  // namespace poolbench::runner
