#include <poolbench/stats/verdict.hpp>

namespace poolbench::stats {

const char* to_string(verdict v) noexcept {
  switch (v) {
    case verdict::slower:
      return "slower";
    case verdict::faster:
      return "faster";
    case verdict::same:
      return "same";
    case verdict::inconclusive:
      return "inconclusive";
    case verdict::failed:
      return "failed";
  }
  return "?";
}

verdict decide(const std::optional<interval>& ratio, const std::optional<double>& corrected_p,
               const decision_rule& rule) {
  if (!ratio)
    return verdict::inconclusive;
  const double upper_margin = 1 + rule.threshold, lower_margin = 1 - rule.threshold;
  const bool significant = corrected_p && *corrected_p < rule.alpha;
  if (significant && ratio->low > upper_margin)
    return verdict::slower;
  if (significant && ratio->high < lower_margin)
    return verdict::faster;
  // Equivalence needs no test to reject: the interval itself shows that any
  // difference is smaller than the margin (the two one-sided tests'
  // conclusion, read off the interval).
  if (ratio->low >= lower_margin && ratio->high <= upper_margin)
    return verdict::same;
  return verdict::inconclusive;
}

}  // namespace poolbench::stats
