#pragma once

#include <optional>
#include <span>
#include <vector>

namespace poolbench::stats {

// Holm's step-down adjustment for testing m hypotheses at once (one per
// benchmark of a comparison): the i-th smallest p-value is multiplied by
// m - i + 1 (i from 1), made monotone with the ones before it and capped at 1.
// Rejecting where the adjusted value is below alpha keeps the chance of any
// false "significant" among all m tests at most alpha, under any dependence
// between the tests. Returns the adjusted values in the input order.
[[nodiscard]] std::vector<double> holm_adjust(std::span<const double> p_values);

// The same over the values that are present: a missing one (no test could
// run) stays missing and does not count in m.
[[nodiscard]] std::vector<std::optional<double>> holm_adjust_present(
    std::span<const std::optional<double>> p_values);

}  // namespace poolbench::stats
