#pragma once

#include <poolbench/stats/bootstrap.hpp>  // interval, mean_of
#include <poolbench/stats/verdict.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace poolbench::stats {

// Repetitions sized to decide (docs/sized-repetitions.md): a comparison
// still inconclusive after the planned repetitions gets more, up to a cap,
// and is decided again on all of them. Peeking at the data twice with the
// plain 5% level would give two chances of a false win, so the error budget
// alpha is split over every look the design allows (Bonferroni over looks):
// a look at n repetitions a side uses the U test at alpha / L and the ratio's
// interval (welch_ratio.hpp) at confidence 1 - alpha / L, where L = 1 +
// later_looks.size(). Whatever the data make the rule do (stop at the first
// look, or continue to any allowed total), a false win or an interval that
// misses the true ratio at the look where it stops needs one at some look,
// and each look has at most alpha / L of that: at most alpha in all.

struct sequential_settings {
  // alpha: the family-wise error over all workloads and all looks;
  // threshold: the equivalence margin (a tie is the whole interval within
  // 1 ± threshold; a win the whole interval beyond it).
  decision_rule rule;
  std::size_t first_look = 9;  // repetitions a side planned before any look
  // The totals a side may be extended to after the first look, ascending,
  // each above first_look; the last one is the cap. Only these: every
  // allowed total is a look that takes its share of alpha.
  std::vector<std::size_t> later_looks = {18, 27};
};

// Throws std::invalid_argument when alpha or the threshold is out of (0, 1)
// ([0, 1) for the threshold), first_look < 2, or later_looks is not
// strictly ascending above first_look.
void validate(const sequential_settings& settings);

// How many looks the design allows (1 + later_looks.size()), the level of
// each one's U test (alpha / looks) and its interval's confidence.
[[nodiscard]] std::size_t look_count(const sequential_settings& settings);
[[nodiscard]] double look_alpha(const sequential_settings& settings);
[[nodiscard]] double look_confidence(const sequential_settings& settings);
// The largest total a side may reach.
[[nodiscard]] std::size_t cap_of(const sequential_settings& settings);
// The largest allowed later total that `available` values a side reach, or
// 0 when they reach none.
[[nodiscard]] std::size_t reachable_look(std::size_t available,
                                         const sequential_settings& settings);

// One look at a comparison: base and candidate repetition means.
struct look_estimate {
  std::size_t repetitions = 0;             // per side (the smaller side)
  double ratio = 0;                        // mean(candidate) / mean(base)
  std::optional<interval> ratio_interval;  // welch_ratio_interval() at look_confidence()
  std::optional<double> p_value;           // two-sided exact U test, uncorrected
};

// The estimate over all the given values (fewer than 2 a side: no interval
// and no p-value). Closed-form: the same values always give the same look.
[[nodiscard]] look_estimate estimate_look(std::span<const double> base,
                                          std::span<const double> candidate,
                                          const sequential_settings& settings);

// The verdict at one look: decide() with the look's level. `corrected_p` is
// the look's p-value after the Holm correction over its family (for a
// family of one, the raw p-value).
[[nodiscard]] verdict decide_look(const look_estimate& estimate,
                                  const std::optional<double>& corrected_p,
                                  const sequential_settings& settings);

// Repetitions a side that the estimate's interval, narrowing as
// 1 / sqrt(repetitions) around the ratio, needs to lie wholly beyond or
// wholly within the margin: decided. Infinity when nothing can decide (the
// ratio is on the margin), NaN with no interval.
[[nodiscard]] double projected_repetitions(const look_estimate& estimate,
                                           const sequential_settings& settings);

// The total a side should be extended to after an inconclusive first look:
// the smallest allowed later total that the projection says decides, else
// the cap (a projection from 9 values is rough; the cap is the best chance).
[[nodiscard]] std::size_t planned_total(const look_estimate& first,
                                        const sequential_settings& settings);

// The rule for one comparison from start to end, as a family of one (no
// Holm correction over other workloads): look at the first first_look values
// of each side; if inconclusive, look again at the first planned_total()
// values. `base` and `candidate` hold at least what the rule may ask for
// (cap_of() values); fewer stop the rule where the values run out.
struct sequential_outcome {
  verdict result = verdict::inconclusive;
  look_estimate estimate;  // at the look that decided, or the last one
  std::size_t looks = 1;   // 1: decided (or given up) at the first look
};
[[nodiscard]] sequential_outcome run_sequential(std::span<const double> base,
                                                std::span<const double> candidate,
                                                const sequential_settings& settings);

}  // namespace poolbench::stats
