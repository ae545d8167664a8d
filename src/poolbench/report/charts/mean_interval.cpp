#include <poolbench/report/charts/mean_interval.hpp>

#include <poolbench/report/stats_names.hpp>

#include <cmath>

namespace poolbench::report {

std::optional<mean_interval> repetition_interval(const benchmark_result& r) {
  if (r.failed())
    return std::nullopt;
  double n = 0, sum = 0;
  for (double m : r.repetition_means) {
    if (std::isfinite(m)) {
      n += 1;
      sum += m;
    }
  }
  if (n < 2)
    return std::nullopt;
  const double mean = sum / n;
  double squares = 0;
  for (double m : r.repetition_means) {
    if (std::isfinite(m))
      squares += (m - mean) * (m - mean);
  }
  const double sd = std::sqrt(squares / (n - 1));
  const auto count = static_cast<std::size_t>(n);
  const double half = student_t_quantile(0.975, static_cast<double>(count - 1)) * sd / std::sqrt(n);
  return mean_interval{mean, mean - half, mean + half, count};
}

}  // namespace poolbench::report
