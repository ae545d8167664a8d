#pragma once

#include <cstddef>
#include <span>
#include <string>

namespace poolbench::stats {

// Per-round statistics, defined exactly as pytest-benchmark defines them
// (pytest_benchmark/stats.py), so our tables and the article's can be read
// side by side. Times are in seconds. A value that cannot be known (no
// rounds, or a file that only carries aggregates) is NaN.
struct statistics {
  double min;
  double max;
  double mean;
  double stddev;  // sample standard deviation (n - 1); 0 for one round
  double median;
  double q1;
  double q3;
  double iqr;
  double ops;  // operations (rounds) per second: 1 / mean
  std::size_t rounds = 0;
  // Rounds beyond mean ± 1 stddev, and beyond [q1 - 1.5 iqr, q3 + 1.5 iqr];
  // negative when unknown.
  long stddev_outliers = -1;
  long iqr_outliers = -1;

  // pytest-benchmark's "Outliers" cell: "<stddev outliers>;<iqr outliers>".
  [[nodiscard]] std::string outliers() const;
};

// Statistics of the given per-round times (seconds). Non-finite values are
// ignored; no finite value gives rounds == 0 and NaN everywhere.
[[nodiscard]] statistics compute_statistics(std::span<const double> samples);

// An all-NaN statistics value with rounds == 0.
[[nodiscard]] statistics unknown_statistics();

}  // namespace poolbench::stats
