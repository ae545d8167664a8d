#include <poolbench/executor/async_pool_executor.hpp>

#include "deadline.hpp"
#include "stress_scale.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <new>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace poolbench {
// Lets a test queue a hand-made task (one whose run() fails before starting).
struct async_pool_test_access {
  static void enqueue(async_pool_executor& pool, std::unique_ptr<detail::async_task> task) {
    pool.enqueue(std::move(task));
  }
};
}  // namespace poolbench

namespace {

namespace asio = boost::asio;
using poolbench::async_future;
using poolbench::async_pool_executor;
using namespace std::chrono_literals;

asio::awaitable<void> sleep_for(std::chrono::microseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

asio::awaitable<int> twice(int x) {
  co_await sleep_for(100us);
  co_return 2 * x;
}

asio::awaitable<int> fail_with(std::string message) {
  co_await sleep_for(10us);
  throw std::runtime_error(message);
}

// Runs `main` on a fresh io_context with `threads` threads; returns its result.
template <class T>
T run_on(std::size_t threads, asio::awaitable<T> (*main)(asio::any_io_executor)) {
  asio::io_context ioc(static_cast<int>(threads));
  auto result = asio::co_spawn(ioc, main(ioc.get_executor()), asio::use_future);
  std::vector<std::thread> extra;
  for (std::size_t i = 1; i < threads; ++i) {
    extra.emplace_back([&ioc] { ioc.run(); });
  }
  ioc.run();
  for (auto& t : extra) {
    t.join();
  }
  return result.get();
}

TEST(async_pool_executor, with_async_pool_returns_what_the_body_returns) {
  auto main = [](asio::any_io_executor ex) -> asio::awaitable<int> {
    co_return co_await poolbench::with_async_pool(
        ex, 2, [](async_pool_executor& pool) -> asio::awaitable<int> {
          auto a = pool.submit(twice, 21);
          co_return co_await a.async_get();
        });
  };
  EXPECT_EQ(run_on<int>(1, main), 42);
}

TEST(async_pool_executor, rejects_zero_tasks) {
  asio::io_context ioc;
  EXPECT_THROW(async_pool_executor(ioc.get_executor(), 0), std::invalid_argument);
}

TEST(async_pool_executor, map_returns_futures_in_input_order) {
  for (const std::size_t threads : {1u, 2u}) {
    auto main = [](asio::any_io_executor ex) -> asio::awaitable<std::vector<int>> {
      std::vector<int> results;
      co_await poolbench::with_async_pool(ex, 4,
                                          [&](async_pool_executor& pool) -> asio::awaitable<void> {
                                            std::vector<int> items(200);
                                            std::iota(items.begin(), items.end(), 0);
                                            auto futures = pool.map(twice, items);
                                            for (auto& f : futures) {
                                              results.push_back(co_await f.async_get());
                                            }
                                          });
      co_return results;
    };
    const std::vector<int> results = run_on<std::vector<int>>(threads, main);
    ASSERT_EQ(results.size(), 200u);
    for (int i = 0; i < 200; ++i) {
      EXPECT_EQ(results[i], 2 * i);
    }
  }
}

TEST(async_pool_executor, task_exception_reaches_the_future) {
  auto main = [](asio::any_io_executor ex) -> asio::awaitable<std::string> {
    async_pool_executor pool(ex, 1);
    auto f = pool.submit(fail_with, "boom");
    std::string message;
    try {
      (void)co_await f.async_get();
    } catch (const std::runtime_error& e) {
      message = e.what();
    }
    co_await pool.async_shutdown();
    co_return message;
  };
  EXPECT_EQ(run_on<std::string>(1, main), "boom");
}

TEST(async_pool_executor, with_async_pool_drains_and_rethrows_on_exception) {
  static std::atomic<int> finished{0};
  finished = 0;
  auto main = [](asio::any_io_executor ex) -> asio::awaitable<std::string> {
    try {
      co_await poolbench::with_async_pool(ex, 2,
                                          [](async_pool_executor& pool) -> asio::awaitable<void> {
                                            for (int i = 0; i < 10; ++i) {
                                              (void)pool.submit([]() -> asio::awaitable<void> {
                                                co_await sleep_for(200us);
                                                ++finished;
                                              });
                                            }
                                            throw std::logic_error("body failed");
                                            co_return;
                                          });
    } catch (const std::logic_error& e) {
      co_return e.what();
    }
    co_return "no exception";
  };
  EXPECT_EQ(run_on<std::string>(1, main), "body failed");
  EXPECT_EQ(finished.load(), 10);  // shut down by draining, not by dropping work
}

TEST(async_pool_executor, submit_after_shutdown_throws) {
  auto main = [](asio::any_io_executor ex) -> asio::awaitable<bool> {
    async_pool_executor pool(ex, 2);
    co_await pool.async_shutdown();
    co_await pool.async_shutdown();  // idempotent
    try {
      (void)pool.submit(twice, 1);
    } catch (const poolbench::executor_shutdown&) {
      co_return true;
    }
    co_return false;
  };
  EXPECT_TRUE(run_on<bool>(1, main));
}

TEST(async_pool_executor, shutdown_without_wait_still_runs_queued_tasks) {
  asio::io_context ioc;
  std::vector<async_future<int>> futures;
  async_pool_executor pool(ioc.get_executor(), 1);
  for (int i = 0; i < 5; ++i) {
    futures.push_back(pool.submit(twice, i));
  }
  pool.shutdown();  // the non-waiting form: returns at once
  EXPECT_THROW((void)pool.submit(twice, 9), poolbench::executor_shutdown);
  ioc.run();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(futures[i].ready());
    EXPECT_EQ(futures[i].get(), 2 * i);
  }
}

TEST(async_pool_executor, cancel_futures_cancels_only_tasks_not_started) {
  static std::atomic<bool> started{false};
  started = false;
  auto main = [](asio::any_io_executor ex) -> asio::awaitable<int> {
    async_pool_executor pool(ex, 1);
    auto running = pool.submit([]() -> asio::awaitable<int> {
      started = true;
      co_await sleep_for(5ms);
      co_return 1;
    });
    std::vector<async_future<int>> queued;
    for (int i = 0; i < 10; ++i) {
      queued.push_back(pool.submit(twice, i));
    }
    for (int i = 0; i < 100'000 && !started; ++i) {
      co_await asio::post(ex, asio::use_awaitable);  // let the worker take the first task
    }
    co_await pool.async_shutdown(true);
    int cancelled = 0;
    for (auto& f : queued) {
      try {
        (void)co_await f.async_get();
      } catch (const poolbench::task_cancelled&) {
        ++cancelled;
      }
    }
    co_return cancelled + 100 * co_await running.async_get();
  };
  EXPECT_EQ(run_on<int>(1, main), 110);
}

TEST(async_pool_executor, destructor_with_pending_work_lets_the_queue_drain) {
  asio::io_context ioc;
  std::vector<async_future<int>> futures;
  {
    async_pool_executor pool(ioc.get_executor(), 2);
    for (int i = 0; i < 100; ++i) {
      futures.push_back(pool.submit(twice, i));
    }
  }  // the destructor cannot wait; the workers own what they need
  ioc.run();
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(futures[i].get(), 2 * i);
  }
}

TEST(async_pool_executor, queued_tasks_are_cancelled_if_the_executor_dies_first) {
  std::vector<async_future<int>> futures;
  {
    asio::io_context ioc;
    async_pool_executor pool(ioc.get_executor(), 2);
    for (int i = 0; i < 10; ++i) {
      futures.push_back(pool.submit(twice, i));
    }
  }  // never run
  for (auto& f : futures) {
    ASSERT_TRUE(f.ready());
    EXPECT_THROW((void)f.get(), poolbench::task_cancelled);
  }
}

TEST(async_pool_executor, never_runs_more_tasks_than_max_tasks) {
  for (const std::size_t threads : {1u, 2u}) {
    static std::atomic<int> in_flight{0};
    static std::atomic<int> peak{0};
    in_flight = 0;
    peak = 0;
    auto main = [](asio::any_io_executor ex) -> asio::awaitable<int> {
      co_await poolbench::with_async_pool(
          ex, 3, [](async_pool_executor& pool) -> asio::awaitable<void> {
            std::vector<async_future<void>> futures;
            // The first 3 tasks wait (at most 60 s) until 3 run at once: a
            // pool running fewer leaves the peak below 3.
            const auto gate = std::chrono::steady_clock::now() + 60s;
            for (int i = 0; i < 200; ++i) {
              // i and gate as arguments: they live in the coroutine frame,
              // not in a lambda object that may be gone when it resumes.
              futures.push_back(pool.submit(
                  [](int i, std::chrono::steady_clock::time_point gate) -> asio::awaitable<void> {
                    const int now = ++in_flight;
                    int seen = peak.load();
                    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
                    }
                    while (i < 3 && peak.load() < 3 && std::chrono::steady_clock::now() < gate)
                      co_await sleep_for(100us);
                    co_await sleep_for(200us);
                    --in_flight;
                  },
                  i, gate));
            }
            for (auto& f : futures) {
              co_await f.async_get();
            }
          });
      co_return peak.load();
    };
    const int seen = run_on<int>(threads, main);
    EXPECT_EQ(seen, 3) << threads << " threads";
  }
}

TEST(async_pool_executor, stress_tiny_tasks_no_loss_no_duplicate) {
  const std::size_t n = poolbench::test::scaled(100'000);
  asio::io_context ioc(2);
  auto work = asio::make_work_guard(ioc);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&ioc] { ioc.run(); });
  }
  std::vector<std::atomic<int>> runs(n);
  {
    async_pool_executor pool(ioc.get_executor(), 8);
    std::vector<async_future<std::size_t>> futures;
    futures.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      futures.push_back(pool.submit(
          [&runs](std::size_t k) -> asio::awaitable<std::size_t> {
            runs[k].fetch_add(1, std::memory_order_relaxed);
            co_return k;
          },
          i));
    }
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(futures[i].get(), i);  // get() from a thread not running the pool
    }
  }
  work.reset();
  for (auto& t : threads) {
    t.join();
  }
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(runs[i].load(), 1) << i;
  }
}

TEST(async_pool_executor, many_producers_at_once) {
  const std::size_t per_producer = poolbench::test::scaled(10'000);
  asio::io_context ioc(2);
  auto work = asio::make_work_guard(ioc);
  std::vector<std::thread> runners;
  for (int i = 0; i < 2; ++i) {
    runners.emplace_back([&ioc] { ioc.run(); });
  }
  std::atomic<std::size_t> sum{0};
  {
    async_pool_executor pool(ioc.get_executor(), 4);
    std::vector<std::thread> producers;
    for (int p = 0; p < 4; ++p) {
      producers.emplace_back([&] {
        std::vector<async_future<std::size_t>> futures;
        for (std::size_t i = 0; i < per_producer; ++i) {
          futures.push_back(
              pool.submit([](std::size_t k) -> asio::awaitable<std::size_t> { co_return k; }, i));
        }
        for (auto& f : futures) {
          sum += f.get();
        }
      });
    }
    for (auto& t : producers) {
      t.join();
    }
    auto done = asio::co_spawn(ioc, pool.async_shutdown(), asio::use_future);
    done.get();
  }
  work.reset();
  for (auto& t : runners) {
    t.join();
  }
  EXPECT_EQ(sum.load(), 4 * (per_producer * (per_producer - 1) / 2));
}

TEST(async_pool_executor, future_is_single_use_like_std_future) {
  async_future<int> empty;
  EXPECT_FALSE(empty.valid());
  EXPECT_THROW((void)empty.ready(), std::future_error);
  EXPECT_THROW((void)empty.get(), std::future_error);
}

TEST(async_pool_executor, cancel_futures_cancels_queued_tasks_at_once_while_every_worker_is_busy) {
  const poolbench::test::deadline guard(20s);
  asio::io_context ioc;
  asio::steady_timer release(ioc, asio::steady_timer::time_point::max());
  bool started = false;
  async_pool_executor pool(ioc.get_executor(), 1);
  auto running = pool.submit([&]() -> asio::awaitable<int> {
    started = true;
    boost::system::error_code ignored;
    co_await release.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    co_return 1;
  });
  std::vector<async_future<int>> queued;
  for (int i = 0; i < 10; ++i) {
    queued.push_back(pool.submit(twice, i));
  }
  while (!started) {
    ioc.run_one();
  }
  pool.shutdown(true);  // the only worker is busy: nobody picks the queue up
  for (auto& f : queued) {
    ASSERT_TRUE(f.ready());
    EXPECT_THROW((void)f.get(), poolbench::task_cancelled);
  }
  release.cancel();
  ioc.run();
  EXPECT_EQ(running.get(), 1);
}

TEST(async_pool_executor, a_task_awaiting_its_own_pools_shutdown_returns) {
  const poolbench::test::deadline guard(20s);
  for (const std::size_t threads : {1u, 2u}) {
    // Ordered by events, not sleeps: the task calls async_shutdown once
    // submit() throws (the owner's shutdown began), and the other task keeps
    // that shutdown waiting until the call is made. The deadline bounds the
    // polling.
    static std::atomic<bool> calling{false};
    calling = false;
    auto main = [](asio::any_io_executor ex) -> asio::awaitable<int> {
      async_pool_executor pool(ex, 2);
      auto shuts_down = pool.submit([&pool]() -> asio::awaitable<int> {
        for (;;) {
          try {
            (void)pool.submit([]() -> asio::awaitable<int> { co_return 0; });
          } catch (const poolbench::executor_shutdown&) {
            break;
          }
          co_await sleep_for(1ms);
        }
        calling = true;
        co_await pool.async_shutdown();  // waits for the other worker, not itself
        co_return 1;
      });
      auto slower = pool.submit([]() -> asio::awaitable<int> {
        while (!calling)
          co_await sleep_for(1ms);
        co_return 2;
      });
      co_await pool.async_shutdown();
      co_return co_await shuts_down.async_get() + co_await slower.async_get();
    };
    EXPECT_EQ(run_on<int>(threads, main), 3) << threads << " threads";
  }
}

TEST(async_pool_executor, every_task_awaiting_its_own_pools_shutdown_returns) {
  const poolbench::test::deadline guard(20s);
  auto main = [](asio::any_io_executor ex) -> asio::awaitable<int> {
    async_pool_executor pool(ex, 2);
    std::vector<async_future<int>> futures;
    for (int i = 0; i < 2; ++i) {
      futures.push_back(pool.submit([&pool, i]() -> asio::awaitable<int> {
        co_await sleep_for(std::chrono::milliseconds(10 * (i + 1)));
        co_await pool.async_shutdown();
        co_return i;
      }));
    }
    co_await pool.async_shutdown();
    co_return co_await futures[0].async_get() + co_await futures[1].async_get();
  };
  EXPECT_EQ(run_on<int>(1, main), 1);
}

TEST(async_pool_executor, a_task_destroyed_mid_run_leaves_an_error_in_its_future) {
  const poolbench::test::deadline guard(20s);
  std::optional<async_future<int>> future;
  {
    asio::io_context ioc;
    async_pool_executor pool(ioc.get_executor(), 1);
    bool started = false;
    future = pool.submit([&started]() -> asio::awaitable<int> {
      started = true;
      co_await sleep_for(60s);
      co_return 1;
    });
    while (!started) {
      ioc.run_one();
    }
  }  // the pool, then the io_context (with the suspended task) go away
  ASSERT_TRUE(future->ready());
  EXPECT_THROW((void)future->get(), poolbench::task_abandoned);
}

TEST(async_pool_executor, map_carries_each_tasks_exception_to_its_own_future) {
  auto main = [](asio::any_io_executor ex) -> asio::awaitable<int> {
    async_pool_executor pool(ex, 3);
    auto futures = pool.map(
        [](int x) -> asio::awaitable<int> {
          co_await sleep_for(10us);
          if (x % 2 == 1) {
            throw std::runtime_error("odd " + std::to_string(x));
          }
          co_return x;
        },
        std::vector<int>{0, 1, 2, 3, 4, 5});
    int sum = 0;
    int failures = 0;
    for (auto& f : futures) {
      try {
        sum += co_await f.async_get();
      } catch (const std::runtime_error& e) {
        failures += std::string(e.what()).starts_with("odd ") ? 1 : 100;
      }
    }
    co_await pool.async_shutdown();
    co_return sum + 1000 * failures;
  };
  EXPECT_EQ(run_on<int>(1, main), 6 + 3000);
}

// A task whose run() throws before any coroutine of it exists, as allocating
// its frame would; fail() records what the worker reports.
class task_failing_to_start final : public poolbench::detail::async_task {
 public:
  explicit task_failing_to_start(std::shared_ptr<poolbench::detail::async_state<void>> state)
      : state_(std::move(state)) {}
  asio::awaitable<void> run() override { throw std::bad_alloc(); }
  void fail(std::exception_ptr error) noexcept override { state_->set_exception(error); }

 private:
  std::shared_ptr<poolbench::detail::async_state<void>> state_;
};

TEST(async_pool_executor, a_task_failing_to_start_fails_its_future_and_the_worker_goes_on) {
  const poolbench::test::deadline guard(20s);
  asio::io_context ioc;
  auto failed = std::make_shared<poolbench::detail::async_state<void>>();
  async_pool_executor pool(ioc.get_executor(), 1);
  poolbench::async_pool_test_access::enqueue(pool, std::make_unique<task_failing_to_start>(failed));
  auto after = pool.submit(twice, 21);
  bool shut_down = false;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        co_await pool.async_shutdown();  // completes: the worker was not lost
        shut_down = true;
      },
      asio::detached);
  ioc.run();
  EXPECT_TRUE(shut_down);
  ASSERT_TRUE(failed->ready());
  EXPECT_THROW(failed->take(), std::bad_alloc);
  EXPECT_EQ(after.get(), 42);
}

}  // namespace
