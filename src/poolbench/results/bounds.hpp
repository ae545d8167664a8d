#pragma once
// When a benchmark case measured something other than its pool: the
// thresholds behind the counters client_bound, server_bound and
// wakeup_bound that the runner writes (docs/result-format.md) and the marks
// the report puts on claims, one definition for both.

namespace poolbench::results {

// A side (client or server) whose busy share, its CPU over the wall time
// and the cores it can use, reaches this is what the case measured.
inline constexpr double busy_bound = 0.9;

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

}  // namespace poolbench::results
