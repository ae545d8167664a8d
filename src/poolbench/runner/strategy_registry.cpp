#include <poolbench/runner/strategy_registry.hpp>

#include <poolbench/runner/strategies.hpp>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace poolbench::runner {
namespace {

struct runnable {
  results::strategy name;
  strategy_factory factory;
};

struct runnable_registry {
  std::mutex mutex;
  // Each entry apart, so a factory found stays where it is as more come.
  std::vector<std::unique_ptr<runnable>> entries;
};

void add_runnable(runnable_registry& r, strategy_definition d) {
  const results::strategy s(d.name);  // throws for a bad name
  if (!d.factory)
    throw std::invalid_argument("strategy '" + d.name + "' has no factory");
  for (const auto& e : r.entries) {
    if (e->name == s)
      throw std::invalid_argument("strategy '" + d.name + "' is already registered");
  }
  results::register_strategy_traits(s, d.traits);
  r.entries.push_back(std::make_unique<runnable>(runnable{s, std::move(d.factory)}));
}

// The built-ins, one factory each (strategies.hpp), with the traits the
// result schema knows them by (they name their files' cases).
void add_built_ins(runnable_registry& r) {
  const auto add = [&r](results::strategy s, strategy_factory f) {
    add_runnable(r, {std::string(s.name()), results::traits_of(s), std::move(f)});
  };
  using results::strategy;
  add(strategy::serial, make_serial_strategy);
  add(strategy::thread_pool, make_thread_pool_strategy);
  add(strategy::process_pool, make_process_pool_strategy);
  add(strategy::async_pool, make_async_pool_strategy);
  add(strategy::floor, make_floor_strategy);
  add(strategy::unbounded, make_unbounded_strategy);
}

runnable_registry& registry() {
  static runnable_registry* r = [] {
    auto* fresh = new runnable_registry;  // never destroyed: read until exit
    add_built_ins(*fresh);
    return fresh;
  }();
  return *r;
}

}  // namespace

void register_strategy(strategy_definition definition) {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  add_runnable(r, std::move(definition));
}

const strategy_factory* find_factory(results::strategy s) {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const auto& e : r.entries) {
    if (e->name == s)
      return &e->factory;  // entries live to the end of the program
  }
  return nullptr;
}

std::vector<results::strategy> runnable_strategies() {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  std::vector<results::strategy> out;
  for (const auto& e : r.entries)
    out.push_back(e->name);
  return out;
}

std::vector<results::strategy> default_strategies() {
  auto all = runnable_strategies();
  std::erase_if(all, [](results::strategy s) { return !results::traits_of(s).in_default_run; });
  return all;
}

std::vector<results::strategy> default_open_loop_strategies() {
  auto all = default_strategies();
  std::erase_if(all, [](results::strategy s) { return !results::traits_of(s).open_loop; });
  return all;
}

std::size_t count_for(results::per_case rule, const bench_case& c) {
  switch (rule) {
    case results::per_case::one:
      return 1;
    case results::per_case::workers:
      return std::max<std::size_t>(c.workers, 1);
    case results::per_case::batch:
      return std::max<std::size_t>(c.names.size(), 1);
  }
  return 1;
}

}  // namespace poolbench::runner
