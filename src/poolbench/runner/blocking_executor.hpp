#pragma once
// The seam for an executor that runs blocking callables (a thread pool, a
// task arena, std::async): adapt it in a few lines and register it; the
// harness makes each request a job that borrows a blocking HTTP client,
// fetches, checks and times the answer, and runs the rounds, the open loop
// and the cost meters around it.
//
//   struct my_pool final : poolbench::blocking_executor {
//     explicit my_pool(std::size_t workers) : pool(workers) {}
//     void submit(std::function<void()> job) override {
//       boost::asio::post(pool, std::move(job));
//     }
//     ~my_pool() override { pool.join(); }
//     boost::asio::thread_pool pool;
//   };
//   poolbench::register_blocking_executor("my_pool", [](std::size_t workers) {
//     return std::make_unique<my_pool>(workers);
//   });

#include <poolbench/results/strategy_traits.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace poolbench {

class blocking_executor {
 public:
  virtual ~blocking_executor() = default;
  // Runs `job` once, on any thread, now or later. A job never throws. The
  // destructor returns only after every job submitted has run.
  virtual void submit(std::function<void()> job) = 0;
};

// Builds the executor of a case with `workers` workers: once per case for a
// warm pool (outside the timed rounds), inside every round for a cold one.
using blocking_executor_factory =
    std::function<std::unique_ptr<blocking_executor>(std::size_t workers)>;

// A pool that runs each request on one of its `workers` threads: sized by
// them, in the default run, open-loop capable.
[[nodiscard]] results::strategy_traits blocking_executor_traits();

// Registers the strategy `name` ([a-z][a-z0-9_]*). Throws
// std::invalid_argument for a bad or taken name.
void register_blocking_executor(const std::string& name, blocking_executor_factory make,
                                results::strategy_traits traits = blocking_executor_traits());

}  // namespace poolbench
