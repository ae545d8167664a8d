#include <poolbench/runner/run_collector.hpp>

#include <poolbench/results/benchmark_json.hpp>

#include <ctime>
#include <iostream>
#include <sstream>

namespace poolbench::runner {
namespace {

// Google Benchmark's date format: local time with its offset, ISO 8601.
std::string local_date_time() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  char text[64];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S%z", &local);
  if (n < 5)
    return std::string(text, n);
  // +0000 -> +00:00, as Google Benchmark writes it.
  std::string out(text, n - 2);
  out.push_back(':');
  out.append(text + n - 2, 2);
  return out;
}

}  // namespace

bool run_collector::ReportContext(const Context& context) {
  if (!machine_.empty())
    return true;
  machine_["date"] = local_date_time();
  machine_["host_name"] = context.sys_info.name;
  machine_["executable"] = Context::executable_name != nullptr ? Context::executable_name : "";
  machine_["num_cpus"] = context.cpu_info.num_cpus;
  machine_["mhz_per_cpu"] = static_cast<long>(context.cpu_info.cycles_per_second / 1e6);
  if (context.cpu_info.scaling != benchmark::CPUInfo::UNKNOWN)
    machine_["cpu_scaling_enabled"] = context.cpu_info.scaling == benchmark::CPUInfo::ENABLED;
  auto caches = nlohmann::ordered_json::array();
  for (const auto& cache : context.cpu_info.caches) {
    caches.push_back({{"type", cache.type},
                      {"level", cache.level},
                      {"size", cache.size},
                      {"num_sharing", cache.num_sharing}});
  }
  machine_["caches"] = std::move(caches);
  return true;
}

collected_run collect(const benchmark::BenchmarkReporter::Run& run) {
  using Run = benchmark::BenchmarkReporter::Run;
  collected_run c;
  c.name = results::without_run_suffixes(run.run_name.str());
  c.aggregate = run.run_type == Run::RT_Aggregate;
  c.aggregate_name = run.aggregate_name;
  c.percentage = c.aggregate && run.aggregate_unit == benchmark::kPercentage;
  c.family_index = run.family_index;
  c.per_family_instance_index = run.per_family_instance_index;
  c.repetitions = run.repetitions;
  c.repetition_index = c.aggregate ? -1 : run.repetition_index;
  c.threads = run.threads;
  c.iterations = run.iterations;
  c.real_accumulated_s = run.real_accumulated_time;
  c.cpu_accumulated_s = run.cpu_accumulated_time;
  c.unit_multiplier = benchmark::GetTimeUnitMultiplier(run.time_unit);
  if (c.percentage) {
    c.real_s = run.real_accumulated_time;
    c.cpu_s = run.cpu_accumulated_time;
  } else {
    const double per_unit = benchmark::GetTimeUnitMultiplier(run.time_unit);
    c.real_s = run.GetAdjustedRealTime() / per_unit;
    c.cpu_s = run.GetAdjustedCPUTime() / per_unit;
  }
  c.error_occurred = run.error_occurred;
  c.error_message = run.error_message;
  for (const auto& [key, counter] : run.counters)
    c.counters.emplace_back(key, counter.value);
  return c;
}

void run_collector::ReportRuns(const std::vector<Run>& runs) {
  for (const auto& run : runs)
    runs_.push_back(collect(run));
}

std::size_t run_collector::run_registered() {
  std::ostringstream errors;
  SetErrorStream(&errors);
  const auto run = benchmark::RunSpecifiedBenchmarks(this);
  SetErrorStream(&std::cerr);
  if (errors.str().rfind("Failed to match any benchmarks", 0) != 0)
    std::cerr << errors.str();
  return run;
}

}  // namespace poolbench::runner
