#pragma once
// Latencies of an open-loop run, 1 µs to 60 s, in a Boost.Histogram with a
// log-transformed axis: 1000 bins, each 1.8 % wide, so a percentile read as
// its bin's geometric centre is within 0.9 % of the true value. Values below
// or above the range go to the under- and overflow bins (and are counted);
// the exact maximum is kept beside the histogram.

#include <boost/histogram.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace poolbench::runner {

class latency_histogram {
 public:
  static constexpr double lower_s = 1e-6;
  static constexpr double upper_s = 60.0;
  static constexpr unsigned bins = 1000;

  latency_histogram();

  void add(double seconds);
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] double max() const noexcept { return max_; }
  // The p-quantile (0 < p <= 1) in seconds: the geometric centre of the bin
  // holding that rank; 0 when empty; the exact max for p = 1.
  [[nodiscard]] double percentile(double p) const;
  // Every value added, each as its bin's geometric centre (0 below the range,
  // the max above it), ascending; the last one is the exact max. What a
  // reader of per-request values gets from the histogram, within 0.9 %.
  [[nodiscard]] std::vector<double> quantized_values() const;
  // {"axis": "log", "lower_s", "upper_s", "bins", "underflow", "overflow",
  //  "counts": [[bin, count], ...]} with only the non-empty bins.
  [[nodiscard]] nlohmann::ordered_json to_json() const;

 private:
  using axis_t = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;
  using histogram_t = decltype(boost::histogram::make_histogram(std::declval<axis_t>()));

  histogram_t histogram_;
  std::uint64_t count_ = 0;
  double max_ = 0;
};

}  // namespace poolbench::runner
