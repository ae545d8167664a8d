#include <poolbench/results/strategy.hpp>

#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

namespace poolbench::results {
namespace {

// Every name a strategy was made from, kept to the end of the program: a
// strategy is then a view that never dangles, cheap to copy and compare.
std::string_view interned(std::string_view name) {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> names;
  const std::lock_guard lock(mutex);
  auto it = names.find(name);
  if (it == names.end())
    it = names.emplace(name).first;
  return *it;
}

}  // namespace

bool valid_strategy_name(std::string_view name) noexcept {
  if (name.empty() || !(name.front() >= 'a' && name.front() <= 'z'))
    return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

strategy::strategy(std::string_view name) : name_() {
  if (!valid_strategy_name(name)) {
    std::string message = "bad strategy name '";
    throw std::invalid_argument(
        message.append(name).append("' (a strategy is named [a-z][a-z0-9_]*)"));
  }
  name_ = interned(name);
}

}  // namespace poolbench::results
