#pragma once
// The strategies this program can run: a name, its traits (what the grids,
// names and cost counters need to know of it) and a factory. The built-ins
// come in by register_strategy like any other strategy, so a program of
// poolbench's users adds its own with one call before run_main (run_main.hpp).

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/client_strategy.hpp>

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/url.hpp>
#include <poolbench/results/strategy_traits.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace poolbench::runner {

// Builds the strategy of a case (a warm pool now, outside the timed rounds).
// `options.mode` is not yet the case's: client_options_for
// (strategy_support.hpp) makes it so.
using strategy_factory = std::function<std::unique_ptr<client_strategy>(
    const bench_case& c, const http::url& server, const http::client_options& options)>;

struct strategy_definition {
  std::string name;  // [a-z][a-z0-9_]*
  results::strategy_traits traits;
  strategy_factory factory;
};

// Throws std::invalid_argument for a bad name, a missing factory, or a name
// already registered (a built-in's too).
void register_strategy(strategy_definition definition);
// The factory of `s`; nullptr when this program cannot run it.
[[nodiscard]] const strategy_factory* find_factory(results::strategy s);
// Every strategy this program can run, in registration order.
[[nodiscard]] std::vector<results::strategy> runnable_strategies();
// Of those, the ones a run that names no --strategies runs, and the ones of
// an open loop that names none.
[[nodiscard]] std::vector<results::strategy> default_strategies();
[[nodiscard]] std::vector<results::strategy> default_open_loop_strategies();

// `rule` for case `c`: 1, its workers (at least 1) or its batch.
[[nodiscard]] std::size_t count_for(results::per_case rule, const bench_case& c);

}  // namespace poolbench::runner
