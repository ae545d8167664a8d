#pragma once

#include <poolbench/report/input/result.hpp>

#include <cstddef>
#include <optional>

namespace poolbench::report {

// The 95 % confidence interval of a benchmark's mean time, over its
// repetitions: mean ± t(0.975, n − 1) · sd / √n of `repetition_means`. The
// rounds of one repetition are not independent (they share a pool, its
// connections and the machine's state at that moment); repetitions are the
// closest thing to independent samples, so they are the unit here.
struct mean_interval {
  double mean = 0;  // of the repetition means, seconds
  double low = 0;
  double high = 0;
  std::size_t repetitions = 0;
};

// Needs two or more finite repetition means and no failed repetition.
[[nodiscard]] std::optional<mean_interval> repetition_interval(const benchmark_result& r);

}  // namespace poolbench::report
