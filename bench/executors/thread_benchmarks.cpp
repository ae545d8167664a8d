// thread_pool_executor against boost::asio::thread_pool (post + promise), the
// floor the issue sets: a batch must be at least as fast.

#include "batch_size.hpp"

#include <poolbench/executor/thread_pool_executor.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <benchmark/benchmark.h>

#include <future>
#include <vector>

namespace {

using poolbench::executor_bench::batch;
constexpr std::size_t workers = 2;  // the machine's cores

void thread_executor_round_trip(benchmark::State& state) {
  poolbench::thread_pool_executor pool(workers);
  for (auto _ : state) {
    pool.submit([] {}).get();
  }
  state.SetItemsProcessed(state.iterations());
}

void asio_thread_pool_round_trip(benchmark::State& state) {
  boost::asio::thread_pool pool(workers);
  for (auto _ : state) {
    std::promise<void> done;
    auto f = done.get_future();
    boost::asio::post(pool, [&done] { done.set_value(); });
    f.get();
  }
  state.SetItemsProcessed(state.iterations());
  pool.join();
}

void thread_executor_batch(benchmark::State& state) {
  poolbench::thread_pool_executor pool(workers);
  std::vector<std::future<void>> futures;
  futures.reserve(batch);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      futures.push_back(pool.submit([] {}));
    }
    for (auto& f : futures) {
      f.get();
    }
    futures.clear();
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void thread_executor_batch_map(benchmark::State& state) {
  poolbench::thread_pool_executor pool(workers);
  const std::vector<int> items(batch, 0);
  for (auto _ : state) {
    auto futures = pool.map([](int) {}, items);
    for (auto& f : futures) {
      f.get();
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
}

void asio_thread_pool_batch(benchmark::State& state) {
  boost::asio::thread_pool pool(workers);
  std::vector<std::future<void>> futures;
  futures.reserve(batch);
  for (auto _ : state) {
    for (std::size_t i = 0; i < batch; ++i) {
      std::promise<void> done;
      futures.push_back(done.get_future());
      boost::asio::post(pool, [done = std::move(done)]() mutable { done.set_value(); });
    }
    for (auto& f : futures) {
      f.get();
    }
    futures.clear();
  }
  state.SetItemsProcessed(state.iterations() * batch);
  pool.join();
}

}  // namespace

BENCHMARK(asio_thread_pool_round_trip)->UseRealTime();
BENCHMARK(thread_executor_round_trip)->UseRealTime();
BENCHMARK(asio_thread_pool_batch)->UseRealTime();
BENCHMARK(thread_executor_batch)->UseRealTime();
BENCHMARK(thread_executor_batch_map)->UseRealTime();
