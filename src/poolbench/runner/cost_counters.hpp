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

// A side whose busy share reaches this is what the case measured.
inline constexpr double bound_threshold = 0.9;

// Threads (or worker processes) the strategy runs its requests on: the
// workers of a thread or process pool, one event loop for the async pool
// and the floor, one thread for serial.
[[nodiscard]] std::size_t client_threads(const bench_case& c);

// The least a round can take when every request waits `delay_ms` on the
// server: ceil(batch / workers) waves of one delay (for the floor too: its
// workers are its requests in flight). Seconds; nothing without a delay.
[[nodiscard]] std::optional<double> ideal_round_seconds(const bench_case& c);

// A case whose time per request (per request in flight: the mean round x
// the requests in flight / the batch) is within this many of the machine's
// wake-up round trips measured its scheduler, not the pool. The round trip
// is a byte between two threads; a request on a kept connection at delay 0
// is two such wake-ups (client -> server -> client) plus loopback TCP and
// HTTP, and a pool's hand-off to its worker and back two more. Measured on
// a 2-core VM (docs/noise.md): such cases with one request in flight took
// 8-18 round trips each, every other case at delay 0 (fresh connections,
// or 4+ in flight sharing the CPUs) 26 or more.
inline constexpr double wakeup_bound_round_trips = 20.0;

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
[[nodiscard]] std::map<std::string, double> cost_counters(const bench_case& c,
                                                          const window_cost& cost,
                                                          double mean_round_seconds,
                                                          const pool_lifecycle& pool);

}  // namespace poolbench::runner
