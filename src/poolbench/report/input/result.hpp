#pragma once

#include <poolbench/report/stats_names.hpp>
#include <poolbench/results/latency_histogram.hpp>
#include <poolbench/results/workload.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace poolbench::report {

// Which writer produced a result file.
enum class source_format {
  poolbench,         // Google Benchmark JSON with poolbench's per-round samples
  google_benchmark,  // plain Google Benchmark JSON: repetitions only
  pytest_benchmark,  // pytest-benchmark's --benchmark-json
};

[[nodiscard]] const char* to_string(source_format format) noexcept;

// What the statistics of a benchmark are computed over.
enum class sample_kind {
  rounds,       // one value per round (poolbench samples, pytest-benchmark data)
  repetitions,  // one value per Google Benchmark repetition (its mean time)
  summary,      // only summary numbers were in the file
};

// Latency percentiles of one open-loop run, in seconds (NaN when absent).
struct latency_percentiles {
  double p50 = std::numeric_limits<double>::quiet_NaN();
  double p90 = std::numeric_limits<double>::quiet_NaN();
  double p99 = std::numeric_limits<double>::quiet_NaN();
  double p999 = std::numeric_limits<double>::quiet_NaN();
  double max = std::numeric_limits<double>::quiet_NaN();
};

// What an open-loop run (poolbench --rate) measured beside its wall time:
// the file's "open_loop" and "histogram" objects.
struct open_loop_run {
  double offered_rate = 0;   // req/s asked for (the nominal rate)
  double achieved_rate = 0;  // answered requests per second of the run
  std::size_t requests = 0;  // arrivals the schedule drew (Poisson: not rate x duration)
  std::size_t completed = 0;
  std::size_t incomplete = 0;                           // sent or due but never answered in time
  latency_percentiles latency;                          // from each request's intended send time
  latency_percentiles service;                          // from its actual send time
  std::optional<results::latency_histogram> histogram;  // its "histogram" object
};

// Per-request latency of a closed-loop case over every timed round of every
// repetition (the run's "latency" object, docs/result-format.md), in
// seconds: service from a request's start, queue from the batch's
// submission to that start. p999 is not recorded (NaN).
struct closed_loop_latency {
  latency_percentiles service;
  latency_percentiles queue;
};

// One benchmark of one file, its times in seconds.
struct benchmark_result {
  std::string name;
  std::string file;  // the path it was loaded from, as given
  // The workload, for poolbench's runs: from the run's "workload" fields,
  // or parsed from its name in files written before those fields existed.
  std::optional<results::workload> workload;
  // Parameters for --group-by: for poolbench results::parameters(workload)
  // (strategy, mode, batch, workers, delay_ms, keepalive 0/1, rate); for
  // other Google Benchmark names `family` and every `key:value` part; for
  // pytest-benchmark `group`, its params and numeric extra_info.
  std::map<std::string, std::string> params;
  // Set for an open-loop run: its latency, not its wall time, is the result.
  std::optional<open_loop_run> open_loop;
  // Set for a closed-loop case whose file has its "latency" object.
  std::optional<closed_loop_latency> latency;
  std::vector<double> samples;  // what `stats` was computed from, if kept
  sample_kind kind = sample_kind::rounds;
  statistics stats = unknown_statistics();
  // One mean time per successful repetition (Google Benchmark's real_time of
  // each iteration run): the unit of inference for comparisons, since rounds
  // of one repetition share a pool, its connections and the machine's state.
  std::vector<double> repetition_means;
  // Non-empty when any repetition failed (`error_occurred`): the first error
  // message. Such a benchmark is never shown as the survivors' statistics.
  std::string error;
  // User counters beyond the round statistics (the cost counters of
  // docs/result-format.md: client_busy, server_busy, ...), each the mean over
  // the successful repetitions; empty when the file has none.
  std::map<std::string, double> counters;
  // The same counters, one value per successful repetition that has it, in
  // file order: what compare --metric tests, as repetition_means for time.
  std::map<std::string, std::vector<double>> counter_repetitions;
  [[nodiscard]] bool failed() const { return !error.empty(); }
  // The --group-by parameter `key`, or "" when the benchmark has none.
  [[nodiscard]] std::string param(const std::string& key) const {
    const auto it = params.find(key);
    return it == params.end() ? "" : it->second;
  }
};

struct result_file {
  std::string path;
  source_format format = source_format::google_benchmark;
  // In file order, each value parsed once at load: readers of an object
  // (the noise record, the sequential settings, the server model) take it
  // as JSON, never as text to parse again.
  std::vector<std::pair<std::string, nlohmann::ordered_json>> context;
  std::vector<benchmark_result> benchmarks;

  // The context value for `key` as text: a string as it is, any other value
  // as JSON text; "" when absent (or null).
  [[nodiscard]] std::string context_value(const std::string& key) const;
  // The context value for `key`; nullptr when absent.
  [[nodiscard]] const nlohmann::ordered_json* context_json(const std::string& key) const;
};

}  // namespace poolbench::report
