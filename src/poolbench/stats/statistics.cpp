#include <poolbench/stats/statistics.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

namespace poolbench::stats {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Median of a sorted range, as Python's statistics.median.
double median_of_sorted(std::span<const double> sorted) {
  const std::size_t n = sorted.size();
  if (n % 2 == 1)
    return sorted[n / 2];
  return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

// pytest-benchmark's quartiles: Wikipedia's method 3 for odd counts, method 2
// (median of each half) for even counts.
double first_quartile(std::span<const double> data) {
  const std::size_t rounds = data.size();
  if (rounds == 1)
    return data[0];
  if (rounds % 2 == 1) {
    const std::size_t n = rounds / 4;
    if (rounds % 4 == 1)
      return 0.25 * data[n - 1] + 0.75 * data[n];
    return 0.75 * data[n] + 0.25 * data[n + 1];
  }
  return median_of_sorted(data.first(rounds / 2));
}

double third_quartile(std::span<const double> data) {
  const std::size_t rounds = data.size();
  if (rounds == 1)
    return data[0];
  if (rounds % 2 == 1) {
    const std::size_t n = rounds / 4;
    if (rounds % 4 == 1)
      return 0.75 * data[3 * n] + 0.25 * data[3 * n + 1];
    return 0.25 * data[3 * n + 1] + 0.75 * data[3 * n + 2];
  }
  return median_of_sorted(data.subspan(rounds / 2));
}

long count_outside(std::span<const double> data, double low, double high) {
  return static_cast<long>(
      std::count_if(data.begin(), data.end(), [&](double v) { return v < low || v > high; }));
}

}  // namespace

std::string statistics::outliers() const {
  if (stddev_outliers < 0 || iqr_outliers < 0)
    return "n/a";
  return std::to_string(stddev_outliers) + ";" + std::to_string(iqr_outliers);
}

statistics unknown_statistics() {
  return {nan, nan, nan, nan, nan, nan, nan, nan, nan};
}

statistics compute_statistics(std::span<const double> samples) {
  std::vector<double> data;
  data.reserve(samples.size());
  std::copy_if(samples.begin(), samples.end(), std::back_inserter(data),
               [](double v) { return std::isfinite(v); });
  if (data.empty())
    return unknown_statistics();
  std::sort(data.begin(), data.end());

  statistics s = unknown_statistics();
  s.rounds = data.size();
  s.min = data.front();
  s.max = data.back();
  const double total = std::accumulate(data.begin(), data.end(), 0.0);
  s.mean = total / static_cast<double>(data.size());
  if (data.size() > 1) {
    double squares = 0.0;
    for (double v : data)
      squares += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(squares / static_cast<double>(data.size() - 1));
  } else {
    s.stddev = 0.0;
  }
  s.median = median_of_sorted(data);
  s.q1 = first_quartile(data);
  s.q3 = third_quartile(data);
  s.iqr = s.q3 - s.q1;
  // pytest-benchmark computes rounds / total, which is 1 / mean.
  s.ops = total > 0 ? static_cast<double>(data.size()) / total : 0.0;
  s.stddev_outliers = count_outside(data, s.mean - s.stddev, s.mean + s.stddev);
  s.iqr_outliers = count_outside(data, s.q1 - 1.5 * s.iqr, s.q3 + 1.5 * s.iqr);
  return s;
}

}  // namespace poolbench::stats
