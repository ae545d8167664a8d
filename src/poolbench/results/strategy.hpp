#pragma once
// A strategy's name: how a client runs the batch (serial, thread_pool, ...,
// or any strategy another program registers: strategy_traits.hpp).
//
// The schema accepts any name of the form [a-z][a-z0-9_]*, so a result file
// written by a program with strategies of its own loads everywhere; which
// names a program can *run* is the runner's registry's business.

#include <compare>
#include <string_view>

namespace poolbench::results {

class strategy {
 public:
  // Throws std::invalid_argument unless `name` is [a-z][a-z0-9_]*. The name
  // is kept for the life of the program (interned), so every copy and every
  // to_string of it stays valid.
  explicit strategy(std::string_view name);

  [[nodiscard]] constexpr std::string_view name() const noexcept { return name_; }
  friend constexpr bool operator==(strategy a, strategy b) noexcept { return a.name_ == b.name_; }

  // The built-in strategies. floor is the measuring stick (the least a
  // client can do), not an executor; unbounded has the whole batch in
  // flight on the async client, no pool (the asyncio.gather the article's
  // pool is the alternative to).
  static const strategy serial;
  static const strategy thread_pool;
  static const strategy process_pool;
  static const strategy async_pool;
  static const strategy floor;
  static const strategy unbounded;

 private:
  struct literal_tag {};
  constexpr strategy(literal_tag, std::string_view literal) noexcept : name_(literal) {}
  std::string_view name_;
};

inline constexpr strategy strategy::serial{literal_tag{}, "serial"};
inline constexpr strategy strategy::thread_pool{literal_tag{}, "thread_pool"};
inline constexpr strategy strategy::process_pool{literal_tag{}, "process_pool"};
inline constexpr strategy strategy::async_pool{literal_tag{}, "async_pool"};
inline constexpr strategy strategy::floor{literal_tag{}, "floor"};
inline constexpr strategy strategy::unbounded{literal_tag{}, "unbounded"};

// Whether strategy `name` competes: the floor is the measuring stick every
// strategy is read against, never a contender. The claims, the runner's
// second-stage plan and the zoo's rankings all ask this one question, so
// the runner plans exactly the pairs the report later decides.
[[nodiscard]] constexpr bool is_contender(std::string_view name) noexcept {
  return name != strategy::floor.name();
}

// Whether `name` is a strategy name: [a-z][a-z0-9_]*.
[[nodiscard]] bool valid_strategy_name(std::string_view name) noexcept;

}  // namespace poolbench::results
