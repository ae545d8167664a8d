#pragma once
// What the harness must know of a strategy besides its name: the traits the
// case names, the grids, the cost counters and the report read, and the
// registry of every strategy this program knows (the built-ins first, each
// registered here like any other).
//
// The runner's registry (runner/strategy_registry.hpp) adds a factory to the
// traits; it is the door a program's own strategy comes in by. This one is
// apart because the report, which never runs a strategy, reads names too.

#include <poolbench/results/strategy.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <vector>

namespace poolbench::results {

// A count that depends on the case: one, the case's workers, or its batch.
enum class per_case { one, workers, batch };

struct strategy_traits {
  // A pool is built (warm: once outside the timed rounds; cold: in each) and
  // sized by the case's workers; its names carry warm|cold.
  bool has_pool = true;
  // Runs the open loop (client_strategy::run_open_loop): pools only.
  bool open_loop = false;
  // Requests it keeps in flight at once (the ideal round's waves).
  per_case in_flight = per_case::workers;
  // Threads or processes it runs requests on (how busy the client was).
  per_case client_threads = per_case::one;
  // Part of a run that names no --strategies.
  bool in_default_run = true;
  bool operator==(const strategy_traits&) const = default;
};

// Registers `s` with `traits`: the same traits again is a no-op, other
// traits for a known name throw std::invalid_argument.
void register_strategy_traits(strategy s, const strategy_traits& traits);
// Whether `s` is registered in this program.
[[nodiscard]] bool is_registered(strategy s) noexcept;
// The traits of `s`; a name this program does not know (a file from another
// program's strategy) reads as a pool sized by its workers, which is what
// its warm|cold name says it is.
[[nodiscard]] strategy_traits traits_of(strategy s) noexcept;
// Every registered strategy, in registration order (the built-ins first).
[[nodiscard]] std::vector<strategy> registered_strategies();
// Where tables put `s`: its place in registration order; every name this
// program does not know after them (sort those by name).
[[nodiscard]] std::size_t strategy_rank(strategy s) noexcept;

// The traits as a result file records them (its context's `strategies`,
// docs/result-format.md): {"has_pool": true, "open_loop": true,
// "in_flight": "workers", "client_threads": "one", "in_default_run": true}.
[[nodiscard]] nlohmann::ordered_json traits_to_json(const strategy_traits& traits);
// Throws std::invalid_argument naming what is wrong with `j`.
[[nodiscard]] strategy_traits traits_from_json(const nlohmann::ordered_json& j);

// Registers the traits a file recorded for each strategy this program does
// not know (`strategies`: name -> traits), so that a strategy of another
// program reads as what it is - a pool or not - rather than as the pool an
// unknown name is taken for. A name already known keeps its traits: the
// program's own registry, or the first file that recorded it, wins. Returns
// how many names it registered; throws std::invalid_argument for a record
// that is not an object of valid names and traits.
std::size_t register_recorded_traits(const nlohmann::ordered_json& strategies);

}  // namespace poolbench::results
