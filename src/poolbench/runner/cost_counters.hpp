#pragma once
// The cost counters of one repetition (docs/result-format.md), from what the
// cost meter measured over its timed rounds, and the bottleneck flags and the
// efficiency of a delayed workload derived from them.

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/cost_meter.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace poolbench::runner {

// Threads (or worker processes) the strategy runs its requests on: the
// workers of a thread or process pool, one event loop for the async pool
// and the floor, one thread for serial.
[[nodiscard]] std::size_t client_threads(const bench_case& c);

// The least a round can take when every request waits `delay_ms` on the
// server: ceil(batch / workers) waves of one delay (for the floor too: its
// workers are its requests in flight; unbounded has the whole batch in
// flight at once). Seconds; nothing without a constant delay (a drawn
// delay's ideal depends on the draws: see describe_drawn_round,
// round_delays.hpp).
[[nodiscard]] std::optional<double> ideal_round_seconds(const bench_case& c);

// {"round_trips_per_request", "wakeup_bound"} for a repetition whose mean
// round took `mean_round_seconds`, with the machine's wake-up round trip
// (noise_guard.hpp); empty without one (a run without the noise check).
[[nodiscard]] std::map<std::string, double> wakeup_counters(const bench_case& c,
                                                            double mean_round_seconds,
                                                            std::optional<double> round_trip_s);

// A warm pool's construction and shutdown, measured by the runner.
struct pool_lifecycle {
  std::optional<double> start_seconds;
  std::optional<double> stop_seconds;
};

// Counter name -> value. Server counters only when the meter had a server
// (never 0 for "unknown"); pool_* and pss_kib_per_worker only for warm pools.
// ideal_round_s and efficiency: from `drawn_ideal_round_s` (the mean exact
// ideal of the timed rounds' drawn delays) when given, else from the
// constant delay (ideal_round_seconds).
[[nodiscard]] std::map<std::string, double> cost_counters(
    const bench_case& c, const window_cost& cost, double mean_round_seconds,
    const pool_lifecycle& pool, std::optional<double> drawn_ideal_round_s = std::nullopt);

}  // namespace poolbench::runner
