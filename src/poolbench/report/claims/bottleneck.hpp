#pragma once
// What bounded a case, from its cost counters (docs/result-format.md): a side
// whose busy share reached 0.9 of the CPUs it could use decided the round
// times, so a comparison between pools on that case measured that side, not
// the pools. Tables, chart notes and claims show the mark beside the case.

#include <poolbench/report/input/result.hpp>

#include <map>
#include <string>
#include <string_view>

namespace poolbench::report {

enum class bottleneck { none, server, client, both };

// The runner's threshold (runner/cost_counters.hpp), repeated: the report
// library does not depend on the runner.
inline constexpr double busy_bound = 0.9;

// From the counters `server_busy` and `client_busy` (means over the
// repetitions); an absent counter (no server of ours, an older file) never
// marks a side.
[[nodiscard]] bottleneck bottleneck_of(const std::map<std::string, double>& counters);
[[nodiscard]] bottleneck bottleneck_of(const benchmark_result& result);

// "server-bound", "client-bound", "server+client-bound", or "" (a table row
// heading carries it, so it is kept short enough for 72 columns).
[[nodiscard]] std::string_view bottleneck_mark(bottleneck b);

// The machine formats' field (show --format csv/json): "server", "client",
// "both", or "" for none.
[[nodiscard]] std::string_view bottleneck_field(bottleneck b);

}  // namespace poolbench::report
