#include <poolbench/report/formatted.hpp>

#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/input/errors.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace poolbench::report {

namespace {

// Each metric's name (--metric) and the counter it reads ("" for time: the
// repetition means), in the enum's order.
constexpr std::pair<const char*, const char*> metrics[] = {
    {"time", ""},
    {"cpu", "client_cpu_us_per_request"},
    {"memory", "pool_pss_mib"},
    {"process-memory", "peak_pss_mib"},
};

}  // namespace

compare_metric parse_compare_metric(std::string_view name) {
  for (std::size_t i = 0; i < std::size(metrics); ++i) {
    if (name == metrics[i].first)
      return static_cast<compare_metric>(i);
  }
  throw usage_error("unknown metric \"" + std::string(name) +
                    "\" (known: time, cpu, memory, process-memory)");
}

const char* to_string(compare_metric m) noexcept {
  return metrics[static_cast<std::size_t>(m)].first;
}

const char* metric_counter(compare_metric m) noexcept {
  return metrics[static_cast<std::size_t>(m)].second;
}

std::vector<double> metric_values(const benchmark_result& b, compare_metric m) {
  if (m == compare_metric::time)
    return inference_values(b);
  std::vector<double> out;
  if (const auto it = b.counter_repetitions.find(metric_counter(m));
      it != b.counter_repetitions.end()) {
    std::copy_if(it->second.begin(), it->second.end(), std::back_inserter(out),
                 [](double v) { return std::isfinite(v); });
  }
  return out;
}

bool has_metric(const benchmark_result& b, compare_metric m) {
  return m == compare_metric::time || b.counter_repetitions.count(metric_counter(m)) != 0;
}

std::string metric_text(double value, compare_metric m) {
  if (m == compare_metric::time || !std::isfinite(value))
    return time_text(value);
  return formatted(m == compare_metric::cpu ? "%.2f us/req" : "%.2f MiB", value);
}

const char* verdict_text(verdict v, compare_metric m) noexcept {
  if (m != compare_metric::time && v == verdict::slower)
    return "higher";
  if (m != compare_metric::time && v == verdict::faster)
    return "lower";
  return to_string(v);
}

std::string metric_values_text(compare_metric m) {
  if (m == compare_metric::time)
    return "repetition means";
  return std::string("repetitions' ") + metric_counter(m);
}

void require_metric(const result_file& file, compare_metric m) {
  if (std::any_of(file.benchmarks.begin(), file.benchmarks.end(),
                  [&](const benchmark_result& b) { return has_metric(b, m); }))
    return;
  const bool only_process_memory =
      m == compare_metric::memory &&
      std::any_of(file.benchmarks.begin(), file.benchmarks.end(), [](const benchmark_result& b) {
        return has_metric(b, compare_metric::process_memory);
      });
  throw input_error(
      file.path + ": no benchmark has " + metric_counter(m) + " (--metric " + to_string(m) +
      (only_process_memory ? "; the file is from before the pool's own memory was counted: "
                             "--metric process-memory compares its whole-process peak_pss_mib)"
                           : " needs poolbench's cost counters; plain Google Benchmark files and "
                             "files from before them have none)"));
}

}  // namespace poolbench::report
