#pragma once

#include <poolbench/report/bootstrap.hpp>

#include <optional>

namespace poolbench::report {

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

}  // namespace poolbench::report
