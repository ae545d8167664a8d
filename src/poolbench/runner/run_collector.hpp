#pragma once
// Keeps Google Benchmark's runs in memory. poolbench writes its result file
// itself, once (result_file.hpp): nothing writes a scratch JSON for poolbench
// to read back, and the end-of-run tables come from the same runs.

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
  bool error_occurred = false;
  std::string error_message;
  std::vector<std::pair<std::string, double>> counters;  // in Google Benchmark's order
};

// A Google Benchmark run as poolbench keeps it.
[[nodiscard]] collected_run collect(const benchmark::BenchmarkReporter::Run& run);

class run_collector final : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context& context) override;
  void ReportRuns(const std::vector<Run>& runs) override;

  [[nodiscard]] const std::vector<collected_run>& runs() const { return runs_; }
  // The same runs as Google Benchmark gave them: the second stage
  // (second_stage.hpp) recomputes aggregates from them with its own code.
  [[nodiscard]] const std::vector<Run>& gb_runs() const { return gb_runs_; }
  // Google Benchmark's description of the machine, under the keys its JSON
  // reporter uses: date, host_name, executable, num_cpus, mhz_per_cpu,
  // cpu_scaling_enabled, caches.
  [[nodiscard]] const nlohmann::ordered_json& machine() const { return machine_; }

 private:
  std::vector<collected_run> runs_;
  std::vector<Run> gb_runs_;
  nlohmann::ordered_json machine_ = nlohmann::ordered_json::object();
};

}  // namespace poolbench::runner
