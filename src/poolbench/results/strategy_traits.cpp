#include <poolbench/results/strategy_traits.hpp>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

namespace poolbench::results {
namespace {

struct known_strategies {
  std::mutex mutex;
  std::vector<std::pair<strategy, strategy_traits>> entries;
};

void add_known(known_strategies& known, strategy s, const strategy_traits& traits) {
  const auto it = std::find_if(known.entries.begin(), known.entries.end(),
                               [s](const auto& e) { return e.first == s; });
  if (it == known.entries.end()) {
    known.entries.emplace_back(s, traits);
    return;
  }
  if (it->second != traits) {
    std::string message = "strategy '";
    throw std::invalid_argument(
        message.append(s.name()).append("' is already registered with other traits"));
  }
}

// The built-ins, through the same door as every other strategy, in the
// order runs and tables list them.
void add_built_ins(known_strategies& known) {
  using enum per_case;
  add_known(known, strategy::serial, {false, false, one, one, true});
  add_known(known, strategy::thread_pool, {true, true, workers, workers, true});
  add_known(known, strategy::process_pool, {true, true, workers, workers, true});
  add_known(known, strategy::async_pool, {true, true, workers, one, true});
  // The floor keeps as many in flight as the pools it measures; unbounded
  // the whole batch, and only when asked for.
  add_known(known, strategy::floor, {false, false, workers, one, true});
  add_known(known, strategy::unbounded, {false, false, batch, one, false});
}

known_strategies& known_registry() {
  static known_strategies* k = [] {
    auto* fresh = new known_strategies;  // never destroyed: read until exit
    add_built_ins(*fresh);
    return fresh;
  }();
  return *k;
}

}  // namespace

void register_strategy_traits(strategy s, const strategy_traits& traits) {
  auto& k = known_registry();
  const std::lock_guard lock(k.mutex);
  add_known(k, s, traits);
}

bool is_registered(strategy s) noexcept {
  auto& k = known_registry();
  const std::lock_guard lock(k.mutex);
  return std::any_of(k.entries.begin(), k.entries.end(),
                     [s](const auto& e) { return e.first == s; });
}

strategy_traits traits_of(strategy s) noexcept {
  auto& k = known_registry();
  const std::lock_guard lock(k.mutex);
  for (const auto& [name, traits] : k.entries) {
    if (name == s)
      return traits;
  }
  return strategy_traits{};
}

std::size_t strategy_rank(strategy s) noexcept {
  auto& k = known_registry();
  const std::lock_guard lock(k.mutex);
  const auto it =
      std::find_if(k.entries.begin(), k.entries.end(), [s](const auto& e) { return e.first == s; });
  return static_cast<std::size_t>(it - k.entries.begin());
}

std::vector<strategy> registered_strategies() {
  auto& k = known_registry();
  const std::lock_guard lock(k.mutex);
  std::vector<strategy> out;
  out.reserve(k.entries.size());
  for (const auto& e : k.entries)
    out.push_back(e.first);
  return out;
}

}  // namespace poolbench::results
