#pragma once
// A benchmark case's workload as a typed value: the one place that knows how
// a workload is named (Google Benchmark names, for people and compare.py)
// and how it is written as explicit JSON fields (what programs read).
//
// Names:
//   closed loop  <strategy>/<warm|cold>/batch:N/workers:N/delay_ms:N[/keepalive:1]
//   the floor    floor/batch:N[/workers:N]/delay_ms:N[/keepalive:1]
//                (no pool; workers = requests in flight, named only when fewer
//                than the batch: without them the whole batch is in flight)
//   unbounded    unbounded/batch:N/delay_ms:N[/keepalive:1]   (no pool: workers = batch)
//   open loop    <strategy>/warm/open/rate:R/workers:N/delay_ms:N[/keepalive:1]
// An absent keepalive part means a fresh connection per request, always.
// A delay drawn from a distribution (--delay) stands where delay_ms:N does,
// as delay:<its name form> (delay_name.hpp), e.g. delay:lognormal_5ms_100ms.

#include <poolbench/results/strategy.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace poolbench::results {

// warm: the pool is built once outside the timed rounds; cold: inside each.
enum class pool_mode { warm, cold };
// fresh: one TCP connection per request (the article's clients); keep_alive:
// each worker reuses its connection.
enum class connection { fresh, keep_alive };
// How an open loop's intended send times are spaced.
enum class arrivals { uniform, poisson };

[[nodiscard]] std::string_view to_string(strategy s) noexcept;
[[nodiscard]] std::string_view to_string(pool_mode m) noexcept;
[[nodiscard]] std::string_view to_string(connection c) noexcept;
[[nodiscard]] std::string_view to_string(arrivals a) noexcept;
// Each throws std::invalid_argument naming the accepted values: for a
// strategy, the ones registered in this program (strategy_traits.hpp).
[[nodiscard]] strategy parse_strategy(std::string_view text);
[[nodiscard]] pool_mode parse_pool_mode(std::string_view text);
[[nodiscard]] connection parse_connection(std::string_view text);
[[nodiscard]] arrivals parse_arrivals(std::string_view text);
// Whether a strategy has a pool (serial, the floor and unbounded do not):
// its traits (strategy_traits.hpp).
[[nodiscard]] bool has_pool(strategy s) noexcept;
// Whether a strategy sends more than one request at a time without a pool to
// size: the floor and unbounded. Their names carry no mode; one with its
// whole batch in flight (unbounded) names no workers, one with as many as
// its workers (the floor) names them only when fewer than the batch.
[[nodiscard]] bool no_pool_to_size(strategy s) noexcept;

// An open loop's offered load: requests per second on a fixed schedule.
struct open_loop_load {
  double rate = 0;
  // Not part of the name (older files lack it): nullopt when unknown.
  std::optional<results::arrivals> arrivals;
  bool operator==(const open_loop_load&) const = default;
};

struct workload {
  results::strategy strategy = results::strategy::serial;
  pool_mode mode = pool_mode::warm;  // serial and the floor: always warm
  std::size_t batch = 0;             // names per round; 0 for an open loop
  std::size_t workers = 1;           // serial 1; the floor: in flight, at most batch
  std::uint64_t delay_ms = 0;        // the server's simulated backend latency
  results::connection connection = results::connection::fresh;
  std::optional<open_loop_load> open_loop;  // set for an open-loop run
  // A delay drawn per request from this distribution instead (canonical
  // spec, delay_name.hpp); delay_ms is then 0. Absent in older files.
  std::optional<std::string> delay = std::nullopt;

  [[nodiscard]] bool keep_alive() const noexcept {
    return connection == results::connection::keep_alive;
  }
  bool operator==(const workload&) const = default;
};

// The Google Benchmark name of `w` (see the top of this file). Rates print
// without trailing zeros (rate:500, rate:12.5).
[[nodiscard]] std::string case_name(const workload& w);

// The workload a poolbench name stands for; nullopt for any other name
// (another project's BM_x/8, a mistyped part). Suffixes Google Benchmark
// appends are ignored (without_run_suffixes).
[[nodiscard]] std::optional<workload> parse_case_name(std::string_view name);

// The explicit fields every poolbench run carries under "workload":
//   {"strategy": "async_pool", "mode": "warm", "batch": 100, "workers": 16,
//    "delay_ms": 10, "connection": "keep_alive",
//    "loop": "closed" | "open", "rate": 500, "arrivals": "poisson"}
// ("rate" and "arrivals" only for an open loop, "arrivals" only when known).
// A drawn delay writes "delay": "<canonical spec>" in place of "delay_ms".
[[nodiscard]] nlohmann::ordered_json to_json(const workload& w);
// Throws std::invalid_argument naming the missing or bad key.
[[nodiscard]] workload workload_from_json(const nlohmann::ordered_json& j);

// The workload's parameters as text, for grouping and display, as its name
// carries them: strategy, mode, batch, workers, delay_ms (or delay, the name
// form of a drawn delay), keepalive ("0" or "1", never absent), and rate and
// arrivals for an open loop; the floor and unbounded have no mode (no pool),
// and workers only for a floor whose name has them.
[[nodiscard]] std::map<std::string, std::string> parameters(const workload& w);

// "1.5" for 1.5, "500" for 500.0: a rate or duration as names print it.
[[nodiscard]] std::string shortest_number(double value);

}  // namespace poolbench::results
