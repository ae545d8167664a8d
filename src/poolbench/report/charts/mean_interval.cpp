#include <poolbench/report/charts/mean_interval.hpp>

#include <cmath>

namespace poolbench::report {

double t_quantile_975(std::size_t degrees) {
  // t(0.975, ν) for ν = 1..30, as printed in every statistics table.
  static constexpr double table[] = {
      12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
      2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
      2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  if (degrees == 0)
    return NAN;
  if (degrees <= std::size(table))
    return table[degrees - 1];
  const double z = 1.959963984540054;  // the normal distribution's 0.975 quantile
  const double v = static_cast<double>(degrees);
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
  const double g1 = (z3 + z) / 4;
  const double g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const double g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const double g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
}

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
  const double half = t_quantile_975(count - 1) * sd / std::sqrt(n);
  return mean_interval{mean, mean - half, mean + half, count};
}

}  // namespace poolbench::report
