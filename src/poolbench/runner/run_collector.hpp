#pragma once
// Keeps Google Benchmark's runs in memory, once, as poolbench's own
// collected_run. poolbench writes its result file itself, once
// (result_file.hpp): nothing writes a scratch JSON for poolbench to read
// back, and the second stage is planned from these runs.

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace poolbench::runner {

// One run as Google Benchmark reported it: an iteration run (one
// repetition) or an aggregate over the repetitions.
struct collected_run {
  std::string name;  // the case name, without Google Benchmark's suffixes
  bool aggregate = false;
  std::string aggregate_name;  // mean, median, stddev, cv
  bool percentage = false;     // an aggregate in percent of the mean (cv), not a time
  std::int64_t family_index = 0;
  std::int64_t per_family_instance_index = 0;
  std::int64_t repetitions = 1;
  std::int64_t repetition_index = 0;  // from 0; -1 for aggregates
  std::int64_t threads = 1;
  std::int64_t iterations = 0;
  double real_s = 0;  // per iteration, in seconds (a fraction for percentage aggregates)
  double cpu_s = 0;
  // Google Benchmark's own figures behind real_s and cpu_s: the times summed
  // over the iterations (seconds) and the multiplier of the time unit it
  // reported in, so that aggregates recomputed over more repetitions
  // (second_stage.hpp) are what Google Benchmark's arithmetic gives.
  double real_accumulated_s = 0;
  double cpu_accumulated_s = 0;
  double unit_multiplier = 1e9;
  bool error_occurred = false;
  std::string error_message;
  std::vector<std::pair<std::string, double>> counters;  // in Google Benchmark's order
};

// A Google Benchmark run as poolbench keeps it.
[[nodiscard]] collected_run collect(const benchmark::BenchmarkReporter::Run& run);

class run_collector final : public benchmark::BenchmarkReporter {
 public:
  // The machine is described once, at the first of the run's calls to
  // Google Benchmark (one per block and stage): its date is the run's start.
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;

  // Runs what is registered with Google Benchmark into this collector and
  // returns how many benchmarks ran. A --benchmark_filter may leave a block
  // empty, and Google Benchmark then says "Failed to match any benchmarks
  // against regex" though other blocks match: that line is dropped (a run in
  // which no block matched is said once, by the program). Its other errors
  // pass on to stderr.
  std::size_t run_registered();

  [[nodiscard]] const std::vector<collected_run>& runs() const { return runs_; }
  // The runs, moved out: the collector keeps none after this.
  [[nodiscard]] std::vector<collected_run> take_runs() { return std::move(runs_); }
  // Google Benchmark's description of the machine, under the keys its JSON
  // reporter uses: date, host_name, executable, num_cpus, mhz_per_cpu,
  // cpu_scaling_enabled, caches.
  [[nodiscard]] const nlohmann::ordered_json& machine() const { return machine_; }

 private:
  std::vector<collected_run> runs_;
  nlohmann::ordered_json machine_ = nlohmann::ordered_json::object();
};

}  // namespace poolbench::runner
