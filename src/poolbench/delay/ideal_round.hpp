#pragma once
// The least time a round can take when its requests have these delays and a
// pool of `workers` first-come-first-served workers serves them in submission
// order: each request starts on the worker that frees first. Exact (an event
// simulation, not a bound), so efficiency = ideal / measured stays meaningful
// when a few long delays make some workers wait and others idle.

#include <cstddef>
#include <span>

namespace poolbench::delay {

// The makespan in seconds; 0 for no delays. Throws std::invalid_argument for
// 0 workers or a negative or non-finite delay.
[[nodiscard]] double ideal_round_seconds(std::span<const double> delays_s, std::size_t workers);

}  // namespace poolbench::delay
