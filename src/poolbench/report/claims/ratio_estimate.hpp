#pragma once

#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

// The independent values inference uses for one benchmark: its repetition
// means (Google Benchmark files; the rounds of one repetition share a pool,
// its connections and the machine's state, so they are not independent), or
// its rounds for a pytest-benchmark file, which has no repetitions. Only
// finite values.
[[nodiscard]] std::vector<double> inference_values(const benchmark_result& b);

// One benchmark measured twice (old and new, or two strategies): the ratio
// of the means of their inference values with its bootstrap interval, and
// the raw two-sided U test over the same values.
struct ratio_estimate {
  double base_mean = 0;  // mean of the inference values, seconds (NaN: none)
  double candidate_mean = 0;
  double ratio = 0;  // candidate_mean / base_mean
  std::size_t base_values = 0;
  std::size_t candidate_values = 0;
  std::optional<interval> ratio_interval;  // 95 % percentile bootstrap
  std::optional<double> p_value;           // U test, uncorrected
};

// Fewer than 2 values on a side gives no interval and no p-value. `seed_name`
// picks the bootstrap seed (bootstrap_seed_for), normally the benchmark's
// name, so the same data always gives the same interval.
[[nodiscard]] ratio_estimate estimate_ratio(const std::vector<double>& base,
                                            const std::vector<double>& candidate,
                                            std::string_view seed_name);

// "1.0440 [1.0124, 1.0781]" (ratio [interval]), "1.0440 [n/a]", or "n/a";
// ratio_text(e, 2, "×") gives "10.68× [10.33, 11.25]".
[[nodiscard]] std::string ratio_text(const ratio_estimate& e, int decimals = 4,
                                     const std::string& suffix = "");

}  // namespace poolbench::report
