// async_pool_executor against co_spawn straight onto the io_context: the
// pool adds a queue (channel), a worker hop and a future. Target: per-task
// overhead <= 2x direct co_spawn. One io_context thread, the benchmark's own.

#include "batch_size.hpp"

#include <poolbench/executor/async_pool_executor.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <vector>

namespace {

namespace asio = boost::asio;

using poolbench::executor_bench::batch;
constexpr std::size_t max_tasks = 8;

asio::awaitable<void> noop_coroutine() {
  co_return;
}

// Drives `body` from a coroutine until Google Benchmark has enough
// iterations; the timing loop runs inside the io_context's thread.
template <class Body>
void run_benchmark(benchmark::State& state, Body body) {
  asio::io_context ioc(1);
  asio::co_spawn(ioc, body(state, ioc.get_executor()), asio::detached);
  ioc.run();
}

void co_spawn_round_trip(benchmark::State& state) {
  run_benchmark(state, [](benchmark::State& s, asio::any_io_executor ex) -> asio::awaitable<void> {
    while (s.KeepRunning()) {
      co_await asio::co_spawn(ex, noop_coroutine(), asio::use_awaitable);
    }
    s.SetItemsProcessed(s.iterations());
  });
}

void async_executor_round_trip(benchmark::State& state) {
  run_benchmark(state, [](benchmark::State& s, asio::any_io_executor ex) -> asio::awaitable<void> {
    poolbench::async_pool_executor pool(ex, max_tasks);
    while (s.KeepRunning()) {
      co_await pool.submit(noop_coroutine).async_get();
    }
    s.SetItemsProcessed(s.iterations());
    co_await pool.async_shutdown();
  });
}

// 1000 spawned coroutines; the driver wakes when the last one completes.
void co_spawn_batch(benchmark::State& state) {
  run_benchmark(state, [](benchmark::State& s, asio::any_io_executor ex) -> asio::awaitable<void> {
    asio::steady_timer all_done(ex);
    while (s.KeepRunning()) {
      std::size_t left = batch;
      all_done.expires_at(asio::steady_timer::time_point::max());
      for (std::size_t i = 0; i < batch; ++i) {
        asio::co_spawn(ex, noop_coroutine(), [&](std::exception_ptr) {
          if (--left == 0) {
            all_done.cancel();
          }
        });
      }
      boost::system::error_code ec;
      co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    s.SetItemsProcessed(s.iterations() * batch);
  });
}

void async_executor_batch(benchmark::State& state) {
  run_benchmark(state, [](benchmark::State& s, asio::any_io_executor ex) -> asio::awaitable<void> {
    poolbench::async_pool_executor pool(ex, max_tasks);
    std::vector<poolbench::async_future<void>> futures;
    futures.reserve(batch);
    while (s.KeepRunning()) {
      for (std::size_t i = 0; i < batch; ++i) {
        futures.push_back(pool.submit(noop_coroutine));
      }
      for (auto& f : futures) {
        co_await f.async_get();
      }
      futures.clear();
    }
    s.SetItemsProcessed(s.iterations() * batch);
    co_await pool.async_shutdown();
  });
}

}  // namespace

BENCHMARK(co_spawn_round_trip)->UseRealTime();
BENCHMARK(async_executor_round_trip)->UseRealTime();
BENCHMARK(co_spawn_batch)->UseRealTime();
BENCHMARK(async_executor_batch)->UseRealTime();
