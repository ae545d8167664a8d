#pragma once
// An open-loop run's latency histogram read back from a result file (the
// runner writes it from poolbench::runner::latency_histogram; see
// docs/result-format.md): a log axis of `bins` bins over [lower_s, upper_s),
// the under- and overflow counts, and the counts of the non-empty bins.
// Histograms of one layout add exactly, so several hosts' runs merge into
// the histogram one host would have recorded; percentiles are then read by
// the runner's own rule (tests pin the two to each other).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>

namespace poolbench::report {

class latency_counts {
 public:
  // `histogram`: the run's "histogram" object; `max_s`: its exact maximum
  // (open_loop.latency_s.max), which the histogram alone cannot give.
  // Throws std::invalid_argument naming a missing or bad key.
  [[nodiscard]] static latency_counts from_json(const nlohmann::json& histogram, double max_s);

  // Same axis kind, bounds and bin count: then add() is exact.
  [[nodiscard]] bool same_layout(const latency_counts& other) const noexcept;
  // "1000 log bins over [1e-06, 60) s", for a refusal naming both layouts.
  [[nodiscard]] std::string layout() const;
  // Bin by bin; throws std::invalid_argument for another layout.
  void add(const latency_counts& other);

  // Every value recorded, under- and overflow included.
  [[nodiscard]] std::uint64_t count() const noexcept;
  [[nodiscard]] double max() const noexcept { return max_s_; }
  // The runner's rule: the geometric centre of the bin holding rank
  // ceil(p * count), at most the max; lower_s for underflow, the max for
  // overflow and for p >= 1; 0 when empty.
  [[nodiscard]] double percentile(double p) const;
  // The runner's form: {"axis", "lower_s", "upper_s", "bins", "underflow",
  // "overflow", "counts": [[bin, count], ...]} with only non-empty bins.
  [[nodiscard]] nlohmann::ordered_json to_json() const;

 private:
  std::string axis_ = "log";
  double lower_s_ = 0, upper_s_ = 0;
  unsigned bins_ = 0;
  std::uint64_t underflow_ = 0, overflow_ = 0;
  std::map<unsigned, std::uint64_t> counts_;  // bin -> count, non-empty bins
  double max_s_ = 0;
};

}  // namespace poolbench::report
