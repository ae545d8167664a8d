#pragma once
// The seam for an executor that runs Asio awaitables (a coroutine pool, a
// strand-per-worker scheduler): adapt it in a few lines and register it; the
// harness makes each request a task that borrows an async HTTP client,
// fetches, checks and times the answer, on one event loop it runs on the
// calling thread, and runs the rounds and the cost meters around it.
//
//   struct my_coro_pool final : poolbench::awaitable_executor {
//     my_coro_pool(boost::asio::any_io_executor ex, std::size_t workers)
//         : ex(std::move(ex)) {}
//     void submit(std::function<boost::asio::awaitable<void>()> task) override {
//       boost::asio::co_spawn(ex, task(), boost::asio::detached);
//     }
//     boost::asio::any_io_executor ex;
//   };
//   poolbench::register_awaitable_executor(
//       "my_coro_pool", [](boost::asio::any_io_executor ex, std::size_t workers) {
//         return std::make_unique<my_coro_pool>(std::move(ex), workers);
//       });

#include <poolbench/results/strategy_traits.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace poolbench {

class awaitable_executor {
 public:
  virtual ~awaitable_executor() = default;
  // Starts task() (an awaitable that never throws) once, now or later, on
  // the io executor the factory was given. Destroyed only when every task
  // submitted has completed.
  virtual void submit(std::function<boost::asio::awaitable<void>()> task) = 0;
};

// Builds the executor of a case on `io` (one event loop, run by one thread)
// with `workers` workers: once per case for a warm pool, inside every round
// for a cold one.
using awaitable_executor_factory = std::function<std::unique_ptr<awaitable_executor>(
    boost::asio::any_io_executor io, std::size_t workers)>;

// Sized by its workers, in the default run, on one thread, no open loop.
[[nodiscard]] results::strategy_traits awaitable_executor_traits();

// Registers the strategy `name` ([a-z][a-z0-9_]*). Throws
// std::invalid_argument for a bad or taken name.
void register_awaitable_executor(const std::string& name, awaitable_executor_factory make,
                                 results::strategy_traits traits = awaitable_executor_traits());

}  // namespace poolbench
