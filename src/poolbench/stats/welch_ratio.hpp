#pragma once

#include <poolbench/stats/bootstrap.hpp>  // interval, mean_of

#include <optional>
#include <span>

namespace poolbench::stats {

// The interval of a ratio of two means, mean(candidate) / mean(base), from
// the log scale: log(ratio) ± t(1 - (1 - confidence) / 2, nu) * se, where
// se^2 = s_b^2 / (n_b mean_b^2) + s_c^2 / (n_c mean_c^2) (the delta method's
// variance of log(mean_c) - log(mean_b)) and nu is Welch-Satterthwaite's.
// Why not the percentile bootstrap for the sequential rule: with 9 values a
// side it is too narrow (its variance has n - 1 where n belongs, and normal
// quantiles where t's belong), and the rule's levels, alpha / 3, sit in the
// tails where that matters most (docs/sized-repetitions.md).
// Empty when a side has fewer than 2 values, a non-finite value, or a mean
// that is not positive.
[[nodiscard]] std::optional<interval> welch_ratio_interval(std::span<const double> base,
                                                           std::span<const double> candidate,
                                                           double confidence);

// The interval of a difference of two means, mean(candidate) - mean(base):
// the difference ± t(1 - (1 - confidence) / 2, nu) * se, se^2 = s_b^2 / n_b
// + s_c^2 / n_c, nu Welch-Satterthwaite's. For a counter whose values can be
// zero (a small pool's own memory), where a ratio says nothing. Empty when a
// side has fewer than 2 values or a non-finite value.
[[nodiscard]] std::optional<interval> welch_difference_interval(std::span<const double> base,
                                                                std::span<const double> candidate,
                                                                double confidence);

}  // namespace poolbench::stats
