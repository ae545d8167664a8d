#pragma once

#include <poolbench/stats/sequential_rule.hpp>
#include <poolbench/stats/verdict.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace poolbench::stats {

// The sequential rule (sequential_rule.hpp) over a family of comparisons,
// whatever they compare. The report's time and cost claims and the runner's
// plan of a second stage are all decided by decide_family(), so the runner
// extends exactly the comparisons the report will call inconclusive at the
// first look, on the same numbers.

// The pair a comparison sets side by side, of candidates with their means
// over the first look's values: the lowest mean (`fastest`) and the next
// (`runner_up`), ties kept in the given order. Empty for fewer than two.
struct leading_pair {
  std::size_t fastest = 0;
  std::size_t runner_up = 0;
};
[[nodiscard]] std::optional<leading_pair> leading_two(std::span<const double> means);

// One comparison: every value of each side in run order (repetition means,
// or a cost counter's value per repetition). The rule takes the first
// first_look, then the first allowed total both sides reach.
struct sequential_pair {
  std::span<const double> base;
  std::span<const double> candidate;
};

// Where the rule left one comparison.
struct sequential_decision {
  look_estimate estimate;  // at the look that decided (or the last)
  double base_mean = 0;    // of the values at that look
  double candidate_mean = 0;
  std::size_t base_values = 0;
  std::size_t candidate_values = 0;
  std::optional<double> corrected_p;  // Holm over that look's family
  verdict result = verdict::inconclusive;
  std::size_t look = 1;           // 1: the first look; 2: a later one
  std::size_t planned_total = 0;  // inconclusive at the first look: the total a side it asks for
};

struct family_decision {
  std::vector<sequential_decision> pairs;  // one per comparison, in order
  std::size_t tests = 0;                   // U tests in the first look's family
};

// First look over each pair's first `first_look` values: the Holm-corrected
// U test at alpha / L over the family and the Welch interval at 1 - alpha / L.
// A pair still inconclusive whose two sides both reach an allowed later total
// is looked at again at the largest one reached, each total its own family
// (the pairs not at that look count with p = 1).
[[nodiscard]] family_decision decide_family(std::span<const sequential_pair> family,
                                            const sequential_settings& settings);

// After a first stage: which of a family's comparisons get how many more
// repetitions. `seconds_per_repetition[i]`: one more repetition of both
// sides of comparison i (NaN: unknown, then never extended under a finite
// budget). The budget rule: the sum over extensions of extra_repetitions x
// seconds_per_repetition <= budget_seconds. The comparisons closest to a
// decision (the fewest projected repetitions) are served first; one that
// does not fit at its planned total gets the largest allowed smaller total
// that fits, or nothing (over_budget). Budget left over raises extensions
// towards the cap, in the same order.
struct planned_extension {
  std::size_t comparison = 0;  // index into the family
  std::size_t total = 0;       // a side
  std::size_t extra_repetitions = 0;
  double seconds = 0;
};
struct extension_plan {
  std::vector<std::size_t> needing_more;      // inconclusive at the first look, in family order
  std::vector<planned_extension> extensions;  // what fits the budget
  std::vector<std::size_t> over_budget;       // inconclusive, not extended
  std::size_t extra_repetitions = 0;          // summed over both sides of every extension
  double seconds = 0;                         // summed over the extensions
};
[[nodiscard]] extension_plan plan_extensions(const family_decision& first_look,
                                             std::span<const double> seconds_per_repetition,
                                             const sequential_settings& settings,
                                             double budget_seconds);

}  // namespace poolbench::stats
