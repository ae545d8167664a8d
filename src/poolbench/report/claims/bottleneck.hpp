#pragma once
// What bounded a case, from its cost counters (docs/result-format.md): a side
// whose busy share reached 0.9 of the CPUs it could use decided the round
// times, so a comparison between pools on that case measured that side, not
// the pools. A case whose requests each took at most 20 of the machine's
// wake-up round trips (one request in flight, nothing overlapping) measured
// the machine's scheduler: wake-up-bound. Tables, chart notes and claims
// show the mark beside the case.

#include <poolbench/report/input/result.hpp>
#include <poolbench/results/bounds.hpp>

#include <map>
#include <string>
#include <string_view>

namespace poolbench::report {

// `wakeup` only when neither side was saturated: a saturated side decided
// the round whatever the wake-ups took, and is named first.
enum class bottleneck { none, server, client, both, wakeup };

// The thresholds are the runner's (results/bounds.hpp).

// From the counters `server_busy`, `client_busy` and `round_trips_per_request`
// (means over the repetitions, as the busy shares are read; the per-repetition
// `wakeup_bound` is the same threshold on each repetition's value); an absent
// counter (no server of ours, no noise check, an older file) never marks.
[[nodiscard]] bottleneck bottleneck_of(const std::map<std::string, double>& counters);
[[nodiscard]] bottleneck bottleneck_of(const benchmark_result& result);

// "server-bound", "client-bound", "server+client-bound", "wake-up-bound", or
// "" (a table row heading carries it, so it is kept short enough for 72
// columns).
[[nodiscard]] std::string_view bottleneck_mark(bottleneck b);

// The machine formats' field (show --format csv/json): "server", "client",
// "both", "wakeup", or "" for none.
[[nodiscard]] std::string_view bottleneck_field(bottleneck b);

// Whether `b` names the server, the client, the machine's wake-ups.
[[nodiscard]] bool server_side_bound(bottleneck b) noexcept;
[[nodiscard]] bool client_side_bound(bottleneck b) noexcept;
[[nodiscard]] bool wakeup_side_bound(bottleneck b) noexcept;

}  // namespace poolbench::report
