#pragma once

#include <poolbench/stats/bootstrap.hpp>
#include <poolbench/stats/holm.hpp>

#include <optional>
#include <vector>

namespace poolbench::stats {

// What a comparison of one benchmark concludes (README: "How compare
// decides").
enum class verdict {
  slower,        // the corrected U test rejects and the whole interval is above 1 + threshold
  faster,        // the corrected U test rejects and the whole interval is below 1 - threshold
  same,          // the whole interval lies within 1 ± threshold: equivalent
  inconclusive,  // none of the above (or fewer than 2 repetitions a side)
  failed,        // a repetition failed in either file: never compared as numbers
};

[[nodiscard]] const char* to_string(verdict v) noexcept;

// The thresholds of the decision.
struct decision_rule {
  double alpha = 0.05;      // family-wise error rate of the Holm-corrected U tests
  double threshold = 0.05;  // --fail-above and the equivalence margin, as a fraction
};

// The verdict for a ratio new/old with its bootstrap interval and the
// Holm-corrected p-value of its U test (either may be missing: too few
// values).
[[nodiscard]] verdict decide(const std::optional<interval>& ratio,
                             const std::optional<double>& corrected_p, const decision_rule& rule);

// For a family of comparisons (the benchmarks of one compare, the workloads
// of the results page): Holm-corrects every item's `estimate.p_value` that
// exists into `corrected_p`, then sets `result` by decide() for each item
// not already verdict::failed. Returns how many tests the correction counted.
template <class Item>
std::size_t correct_and_decide(std::vector<Item>& items, const decision_rule& rule) {
  std::vector<std::optional<double>> raw;
  for (const auto& item : items)
    raw.push_back(item.estimate.p_value);
  const auto corrected = holm_adjust_present(raw);
  std::size_t tests = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto& item = items[i];
    item.corrected_p = corrected[i];
    tests += corrected[i] ? 1 : 0;
    if (item.result != verdict::failed)
      item.result = decide(item.estimate.ratio_interval, item.corrected_p, rule);
  }
  return tests;
}

}  // namespace poolbench::stats
