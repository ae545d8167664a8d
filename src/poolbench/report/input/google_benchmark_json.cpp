// Google Benchmark JSON, as written by any project, and by poolbench with its
// per-round `samples` and counters (docs/result-format.md).

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/loaders.hpp>

#include <poolbench/results/benchmark_json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string_view>

namespace poolbench::report::detail {
namespace {

using json = nlohmann::ordered_json;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

double seconds_per(const std::string& unit, const std::string& label, const std::string& name) {
  try {
    return results::seconds_per_unit(unit);
  } catch (const std::invalid_argument&) {
    throw input_error(label + ": benchmark \"" + name + "\" has unknown time_unit \"" + unit +
                      "\"");
  }
}

std::string string_or(const json& run, const char* key, const std::string& fallback) {
  const auto it = run.find(key);
  return it != run.end() && it->is_string() ? it->get<std::string>() : fallback;
}

double counter(const json& run, const char* key) {
  const auto it = run.find(key);
  return it == run.end() ? nan : number_or_nan(*it);
}

// Another project's name (`BM_x/8`, `BM_y/threads:2`): family=BM_x and
// every `key:value` part.
std::map<std::string, std::string> params_of_foreign_name(const std::string& name) {
  std::map<std::string, std::string> params;
  std::size_t start = 0;
  bool first = true;
  while (start <= name.size()) {
    const auto slash = name.find('/', start);
    const auto end = slash == std::string::npos ? name.size() : slash;
    const std::string part = name.substr(start, end - start);
    if (first) {
      params["family"] = part;
      first = false;
    } else if (const auto colon = part.find(':'); colon != std::string::npos) {
      params[part.substr(0, colon)] = part.substr(colon + 1);
    }
    start = end + 1;
  }
  return params;
}

// Every run (repetition) of one benchmark, gathered from the flat list.
struct runs_of_benchmark {
  std::string name;
  const json* first = nullptr;  // the first run seen, iteration or aggregate
  std::vector<const json*> iterations;
  std::map<std::string, const json*> aggregates;  // by aggregate_name
};

// Exact min/max/mean/stddev over all rounds, combined from the per-repetition
// counters: used when the stored samples were thinned.
void combine_counters(const std::vector<const json*>& runs, statistics& s) {
  double rounds = 0, sum = 0, squares = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const json* run : runs) {
    const double n = counter(*run, "rounds"), mean = counter(*run, "mean");
    const double sd = counter(*run, "stddev");
    if (!(n > 0) || !std::isfinite(mean))
      return;
    rounds += n;
    sum += n * mean;
    squares += (n - 1) * (std::isfinite(sd) ? sd * sd : 0.0) + n * mean * mean;
    lo = std::min(lo, counter(*run, "min"));
    hi = std::max(hi, counter(*run, "max"));
  }
  if (!(rounds > 0))
    return;
  s.rounds = count_of(rounds);
  s.mean = sum / rounds;
  s.stddev = rounds > 1
                 ? std::sqrt(std::max(0.0, (squares - rounds * s.mean * s.mean) / (rounds - 1)))
                 : 0.0;
  if (std::isfinite(lo))
    s.min = lo;
  if (std::isfinite(hi))
    s.max = hi;
  s.ops = s.mean > 0 ? 1.0 / s.mean : 0.0;
}

// Google Benchmark's own keys and the round statistics: not cost counters.
bool is_cost_counter(const std::string& key) {
  static const std::set<std::string> not_counters{"name",
                                                  "family_index",
                                                  "per_family_instance_index",
                                                  "run_name",
                                                  "run_type",
                                                  "repetitions",
                                                  "repetition_index",
                                                  "threads",
                                                  "iterations",
                                                  "real_time",
                                                  "cpu_time",
                                                  "time_unit",
                                                  "rounds",
                                                  "min",
                                                  "max",
                                                  "mean",
                                                  "stddev",
                                                  "median",
                                                  "q1",
                                                  "q3",
                                                  "requests_per_second",
                                                  "aggregate_name",
                                                  "aggregate_unit",
                                                  "error_occurred",
                                                  "error_message",
                                                  "label",
                                                  "batch",
                                                  "workers",
                                                  "delay_ms",
                                                  "keepalive",
                                                  "requests",
                                                  "completed",
                                                  "incomplete",
                                                  "p50",
                                                  "p90",
                                                  "p99",
                                                  "p999",
                                                  "service_p50",
                                                  "service_p99"};
  return not_counters.count(key) == 0;
}

void add_cost_counters(const json& run, std::map<std::string, std::vector<double>>& values) {
  for (const auto& [key, value] : run.items()) {
    if (value.is_number() && is_cost_counter(key))
      values[key].push_back(value.get<double>());
  }
}

benchmark_result build_timings(const runs_of_benchmark& runs, const std::string& label,
                               bool& has_samples) {
  benchmark_result r;
  r.name = runs.name;
  r.file = label;
  r.workload = workload_of(*runs.first, label, runs.name);
  r.params = r.workload ? results::parameters(*r.workload) : params_of_foreign_name(runs.name);

  bool samples_seen = false;
  double counted_rounds = 0;
  for (const json* run : runs.iterations) {
    if (run->value("error_occurred", false)) {
      if (r.error.empty()) {
        r.error = string_or(*run, "error_message", "");
        if (r.error.empty())
          r.error = "error_occurred";
      }
      continue;
    }
    const double to_seconds = seconds_per(string_or(*run, "time_unit", "ns"), label, r.name);
    r.repetition_means.push_back(number_or_nan(run->value("real_time", json())) * to_seconds);
    if (const auto it = run->find("samples"); it != run->end() && it->is_array()) {
      samples_seen = true;
      for (const auto& v : *it)
        r.samples.push_back(number_or_nan(v) * to_seconds);
      counted_rounds += counter(*run, "rounds");
    } else {
      r.samples.push_back(number_or_nan(run->value("real_time", json())) * to_seconds);
    }
  }
  if (samples_seen) {
    has_samples = true;
    r.kind = sample_kind::rounds;
    r.stats = compute_statistics(r.samples);
    if (counted_rounds > static_cast<double>(r.stats.rounds))
      combine_counters(runs.iterations, r.stats);
    return r;
  }
  r.kind = sample_kind::repetitions;
  r.stats = compute_statistics(r.samples);
  if (r.stats.rounds == 0 && !runs.aggregates.empty()) {
    // Only aggregates were reported (--benchmark_report_aggregates_only).
    r.kind = sample_kind::summary;
    auto aggregate = [&](const char* which) {
      const auto it = runs.aggregates.find(which);
      if (it == runs.aggregates.end())
        return nan;
      return number_or_nan(it->second->value("real_time", json())) *
             seconds_per(string_or(*it->second, "time_unit", "ns"), label, r.name);
    };
    r.stats.mean = aggregate("mean");
    r.stats.median = aggregate("median");
    r.stats.stddev = aggregate("stddev");
    r.stats.ops = r.stats.mean > 0 ? 1.0 / r.stats.mean : nan;
    const json& any = *runs.aggregates.begin()->second;
    r.stats.rounds = count_of(number_or_nan(any.value("repetitions", json())));
  }
  return r;
}

// The closed loop's "latency" object (the same in every run of a case), in
// the run's time unit; nullopt when no successful run has one.
std::optional<closed_loop_latency> latency_of(const runs_of_benchmark& runs,
                                              const std::string& label, const std::string& name) {
  for (const json* run : runs.iterations) {
    const auto it = run->find("latency");
    if (run->value("error_occurred", false) || it == run->end() || !it->is_object())
      continue;
    const double to_seconds = seconds_per(string_or(*run, "time_unit", "ns"), label, name);
    auto value = [&](const char* key) { return counter(*it, key) * to_seconds; };
    closed_loop_latency l;
    l.service.p50 = value("service_p50");
    l.service.p90 = value("service_p90");
    l.service.p99 = value("service_p99");
    l.service.max = value("service_max");
    l.queue.p50 = value("queue_p50");
    l.queue.p90 = value("queue_p90");
    l.queue.p99 = value("queue_p99");
    l.queue.max = value("queue_max");
    return l;
  }
  return std::nullopt;
}

benchmark_result build_result(const runs_of_benchmark& runs, const std::string& label,
                              bool& has_samples) {
  auto r = build_timings(runs, label, has_samples);
  r.latency = latency_of(runs, label, r.name);
  for (const json* run : runs.iterations) {
    if (!run->value("error_occurred", false))
      add_cost_counters(*run, r.counter_repetitions);
  }
  for (const auto& [key, values] : r.counter_repetitions)
    r.counters[key] =
        std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  complete_poolbench_fields(runs.iterations, label, r);
  return r;
}

}  // namespace

result_file load_google_benchmark(const json& doc, const std::string& label) {
  result_file file;
  file.path = label;
  if (const auto it = doc.find("context"); it != doc.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      if (key == "caches")
        continue;  // long and irrelevant to pool timings
      file.context.emplace_back(key, value);
    }
  }

  std::vector<runs_of_benchmark> groups;
  for (const auto& run : doc["benchmarks"]) {
    if (!run.is_object() || !run.contains("name")) {
      throw input_error(label + ": not benchmark JSON: a \"benchmarks\" entry has no \"name\"");
    }
    const std::string name =
        results::without_run_suffixes(string_or(run, "run_name", string_or(run, "name", "")));
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const runs_of_benchmark& g) { return g.name == name; });
    if (group == groups.end())
      group = groups.insert(groups.end(), runs_of_benchmark{name, &run, {}, {}});
    if (string_or(run, "run_type", "iteration") == "aggregate") {
      group->aggregates[string_or(run, "aggregate_name", "")] = &run;
    } else {
      group->iterations.push_back(&run);
    }
  }

  bool has_samples = false;
  for (const auto& g : groups)
    file.benchmarks.push_back(build_result(g, label, has_samples));
  file.format = has_samples ? source_format::poolbench : source_format::google_benchmark;
  return file;
}

double number_or_nan(const json& value) {
  return value.is_number() ? value.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

std::size_t count_of(double value) {
  constexpr double limit = 1125899906842624.0;  // 2^50
  return value > 0 && value <= limit ? static_cast<std::size_t>(value) : 0;
}

}  // namespace poolbench::report::detail
