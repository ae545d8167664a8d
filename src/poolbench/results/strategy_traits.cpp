#include <poolbench/results/strategy_traits.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
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

namespace {

constexpr const char* per_case_names[] = {"one", "workers", "batch"};

per_case per_case_from(const nlohmann::ordered_json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string())
    throw std::invalid_argument(std::string("\"") + key + "\" must be one, workers or batch");
  for (std::size_t i = 0; i < std::size(per_case_names); ++i) {
    if (it->get<std::string>() == per_case_names[i])
      return static_cast<per_case>(i);
  }
  throw std::invalid_argument(std::string("\"") + key + "\" must be one, workers or batch, not \"" +
                              it->get<std::string>() + "\"");
}

bool flag_from(const nlohmann::ordered_json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_boolean())
    throw std::invalid_argument(std::string("\"") + key + "\" must be true or false");
  return it->get<bool>();
}

}  // namespace

nlohmann::ordered_json traits_to_json(const strategy_traits& traits) {
  return {{"has_pool", traits.has_pool},
          {"open_loop", traits.open_loop},
          {"in_flight", per_case_names[static_cast<std::size_t>(traits.in_flight)]},
          {"client_threads", per_case_names[static_cast<std::size_t>(traits.client_threads)]},
          {"in_default_run", traits.in_default_run}};
}

strategy_traits traits_from_json(const nlohmann::ordered_json& j) {
  if (!j.is_object())
    throw std::invalid_argument("traits must be an object");
  strategy_traits t;
  t.has_pool = flag_from(j, "has_pool");
  t.open_loop = flag_from(j, "open_loop");
  t.in_flight = per_case_from(j, "in_flight");
  t.client_threads = per_case_from(j, "client_threads");
  t.in_default_run = flag_from(j, "in_default_run");
  return t;
}

std::size_t register_recorded_traits(const nlohmann::ordered_json& strategies) {
  if (!strategies.is_object())
    throw std::invalid_argument("\"strategies\" must be an object of name: traits");
  std::size_t added = 0;
  for (const auto& [name, record] : strategies.items()) {
    if (!valid_strategy_name(name))
      throw std::invalid_argument("\"strategies\": '" + name + "' is not a strategy name");
    strategy_traits traits;
    try {
      traits = traits_from_json(record);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("\"strategies\": " + name + ": " + e.what());
    }
    const strategy s(name);
    auto& k = known_registry();
    const std::lock_guard lock(k.mutex);
    if (std::none_of(k.entries.begin(), k.entries.end(),
                     [s](const auto& e) { return e.first == s; })) {
      k.entries.emplace_back(s, traits);
      ++added;
    }
  }
  return added;
}

}  // namespace poolbench::results
