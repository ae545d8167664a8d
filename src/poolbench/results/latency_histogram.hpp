#pragma once
// Latencies in a histogram with a log-transformed axis, and its JSON form
// (a run's "histogram" object, docs/result-format.md). The runner records
// with the default layout, 1 µs to 60 s in 1000 bins, each 1.8 % wide, so a
// percentile read as its bin's geometric centre is within 0.9 % of the true
// value; values below or above the range go to the under- and overflow bins
// (and are counted); the exact maximum is kept beside the counts. The report
// reads the same object back (from_json) and merges histograms of one layout
// exactly, so percentiles of merged runs follow the runner's rule because
// they are this code.

#include <boost/histogram/axis/regular.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace poolbench::results {

class latency_histogram {
 public:
  static constexpr double lower_s = 1e-6;
  static constexpr double upper_s = 60.0;
  static constexpr unsigned bins = 1000;

  // The runner's layout: [lower_s, upper_s) in `bins` log bins.
  latency_histogram();

  // A "histogram" object as to_json() writes it, of any log layout; `max_s`
  // is the exact maximum (open_loop.latency_s.max), which the counts alone
  // cannot give. Throws std::invalid_argument naming a missing or bad key.
  [[nodiscard]] static latency_histogram from_json(const nlohmann::json& histogram, double max_s);

  void add(double seconds);
  // Same bounds and bin count: then merge() is exact.
  [[nodiscard]] bool same_layout(const latency_histogram& other) const noexcept;
  // "1000 log bins over [1e-06, 60) s", for a refusal naming both layouts.
  [[nodiscard]] std::string layout() const;
  // Bin by bin, the max the larger one; throws std::invalid_argument for
  // another layout.
  void merge(const latency_histogram& other);

  // Every value recorded, under- and overflow included.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] double max() const noexcept { return max_; }
  // The p-quantile (0 < p <= 1) in seconds: the geometric centre of the bin
  // holding rank ceil(p * count), at most the max; the lower bound for
  // underflow, the max for overflow and for p >= 1; 0 when empty. The one
  // percentile definition of poolbench: the closed loop's latency summary,
  // the open loop's percentiles and the report's merged runs all read it.
  [[nodiscard]] double percentile(double p) const;
  // {"axis": "log", "lower_s", "upper_s", "bins", "underflow", "overflow",
  //  "counts": [[bin, count], ...]} with only the non-empty bins.
  [[nodiscard]] nlohmann::ordered_json to_json() const;

 private:
  using axis_t = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;

  latency_histogram(unsigned bins, double lower, double upper);
  // A bin's geometric centre, at most the max.
  [[nodiscard]] double centre(unsigned bin) const;

  axis_t axis_;
  double lower_ = lower_s;  // the bounds as given: the axis keeps their logarithms
  double upper_ = upper_s;
  std::vector<std::uint64_t> counts_;  // one per bin
  std::uint64_t underflow_ = 0;
  std::uint64_t overflow_ = 0;
  std::uint64_t count_ = 0;
  double max_ = 0;
};

}  // namespace poolbench::results
