#pragma once
// The machine's wake-up latency: two threads bounce a byte over a pair of
// pipes, each blocked in read() until the other writes, and the median round
// trip is kept. A request at delay 0 over a kept connection is little more
// than such round trips (client -> server -> client, plus a pool's hand-off
// to its worker), so a case whose time per request is within a few of them
// measured the machine's scheduler, not the pool (cost_counters.hpp marks
// it wake-up-bound). docs/noise.md gives the measurements.

#include <cstddef>
#include <optional>

namespace poolbench::runner {

// Median round trip in seconds over `round_trips` bounces (after a few
// untimed ones); nothing when a pipe or the thread cannot be made. The
// second thread is joined before this returns: a process pool refuses to
// fork beside other threads.
[[nodiscard]] std::optional<double> measure_wakeup_round_trip(std::size_t round_trips = 2000);

}  // namespace poolbench::runner
