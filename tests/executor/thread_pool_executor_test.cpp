#include <poolbench/executor/thread_pool_executor.hpp>

#include "bounded_wait.hpp"
#include "deadline.hpp"
#include "stress_scale.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using poolbench::thread_pool_executor;
using namespace std::chrono_literals;

using poolbench::test::bounded;
using poolbench::test::ready_within;

TEST(thread_pool_executor, submit_passes_arguments_and_returns_the_result) {
  thread_pool_executor pool(2);
  auto f = pool.submit([](int x, const std::string& s) { return s + std::to_string(x); }, 42, "n=");
  EXPECT_EQ(f.get(), "n=42");
  EXPECT_EQ(pool.max_workers(), 2u);
}

TEST(thread_pool_executor, rejects_zero_workers) {
  EXPECT_THROW(thread_pool_executor(0), std::invalid_argument);
}

TEST(thread_pool_executor, map_returns_futures_in_input_order) {
  thread_pool_executor pool(4);
  std::vector<int> items(1000);
  std::iota(items.begin(), items.end(), 0);
  auto futures = pool.map([](int x) { return x * x; }, items);
  ASSERT_EQ(futures.size(), items.size());
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(futures[i].get(), i * i);
  }
}

TEST(thread_pool_executor, task_exception_reaches_the_future) {
  thread_pool_executor pool(2);
  auto f = pool.submit([]() -> int { throw std::runtime_error("boom"); });
  try {
    (void)f.get();
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
}

TEST(thread_pool_executor, void_tasks_and_move_only_arguments) {
  thread_pool_executor pool(2);
  auto value = std::make_unique<int>(7);
  auto f = pool.submit([](std::unique_ptr<int> p) { return *p; }, std::move(value));
  EXPECT_EQ(f.get(), 7);
  std::atomic<int> hits{0};
  pool.submit([&hits] { ++hits; }).get();
  EXPECT_EQ(hits.load(), 1);
}

TEST(thread_pool_executor, large_captures_are_stored_out_of_line) {
  thread_pool_executor pool(1);
  std::array<char, 512> big{};
  big.fill('x');
  auto f = pool.submit([big] { return std::string(big.begin(), big.end()); });
  EXPECT_EQ(f.get(), std::string(512, 'x'));
}

TEST(thread_pool_executor, submit_after_shutdown_throws) {
  thread_pool_executor pool(2);
  pool.shutdown();
  EXPECT_THROW((void)pool.submit([] { return 1; }), poolbench::executor_shutdown);
  EXPECT_THROW((void)pool.map([](int x) { return x; }, std::vector<int>{1, 2}),
               poolbench::executor_shutdown);
  pool.shutdown();  // idempotent
}

TEST(thread_pool_executor, shutdown_without_wait_returns_while_tasks_still_run) {
  thread_pool_executor pool(1);
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  auto blocked = pool.submit([opened] {
    opened.wait();
    return 1;
  });
  auto queued = pool.submit([] { return 2; });
  pool.shutdown(false);  // must return although a task is blocked
  EXPECT_THROW((void)pool.submit([] { return 3; }), poolbench::executor_shutdown);
  gate.set_value();
  ASSERT_TRUE(ready_within(blocked));
  ASSERT_TRUE(ready_within(queued));
  EXPECT_EQ(blocked.get(), 1);
  EXPECT_EQ(queued.get(), 2);  // without cancel_futures the queue still runs
}

TEST(thread_pool_executor, cancel_futures_cancels_only_tasks_not_started) {
  thread_pool_executor pool(1);
  std::promise<void> gate;
  std::shared_future<void> opened = gate.get_future().share();
  std::promise<void> started;
  auto running = pool.submit([&started, opened] {
    started.set_value();
    opened.wait();
    return 1;
  });
  std::vector<std::future<int>> queued;
  for (int i = 0; i < 10; ++i) {
    queued.push_back(pool.submit([] { return 2; }));
  }
  started.get_future().wait();
  pool.shutdown(false, true);
  for (auto& f : queued) {
    ASSERT_TRUE(ready_within(f));
    EXPECT_THROW((void)f.get(), poolbench::task_cancelled);
  }
  gate.set_value();
  EXPECT_EQ(running.get(), 1);
}

TEST(thread_pool_executor, destructor_runs_pending_work) {
  std::atomic<int> done{0};
  {
    thread_pool_executor pool(1);
    for (int i = 0; i < 200; ++i) {
      (void)pool.submit([&done] {
        std::this_thread::sleep_for(10us);
        ++done;
      });
    }
  }
  EXPECT_EQ(done.load(), 200);
}

TEST(thread_pool_executor, never_runs_more_tasks_than_workers) {
  constexpr std::size_t workers = 3;
  thread_pool_executor pool(workers);
  std::atomic<int> in_flight{0};
  std::atomic<int> peak{0};
  std::vector<std::future<void>> futures;
  // The first `workers` tasks hold on (bounded) until that many run at once:
  // a pool running fewer at a time leaves them waiting out the deadline and
  // the peak below `workers`.
  const auto gate = std::chrono::steady_clock::now() + bounded;
  for (int i = 0; i < 300; ++i) {
    futures.push_back(pool.submit([&, i] {
      const int now = ++in_flight;
      int seen = peak.load();
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      if (i < static_cast<int>(workers)) {
        while (peak.load() < static_cast<int>(workers) && std::chrono::steady_clock::now() < gate)
          std::this_thread::yield();
      }
      std::this_thread::sleep_for(50us);
      --in_flight;
    }));
  }
  for (auto& f : futures) {
    ASSERT_TRUE(ready_within(f));
    f.get();
  }
  EXPECT_EQ(peak.load(), static_cast<int>(workers));
}

TEST(thread_pool_executor, stress_tiny_tasks_no_loss_no_duplicate) {
  const std::size_t n = poolbench::test::scaled(100'000);
  thread_pool_executor pool(4);
  std::vector<std::atomic<int>> runs(n);
  std::vector<std::future<std::size_t>> futures;
  futures.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    futures.push_back(pool.submit([&runs, i] {
      runs[i].fetch_add(1, std::memory_order_relaxed);
      return i;
    }));
  }
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(futures[i].get(), i);
  }
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(runs[i].load(), 1) << "task " << i;
  }
}

TEST(thread_pool_executor, many_producers_at_once) {
  const std::size_t per_producer = poolbench::test::scaled(20'000);
  constexpr int producers = 4;
  thread_pool_executor pool(2);
  std::atomic<std::size_t> sum{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&] {
      std::vector<std::future<void>> futures;
      futures.reserve(per_producer);
      for (std::size_t i = 0; i < per_producer; ++i) {
        futures.push_back(pool.submit([&sum, i] { sum += i; }));
      }
      for (auto& f : futures) {
        f.get();
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(sum.load(), producers * (per_producer * (per_producer - 1) / 2));
}

TEST(thread_pool_executor, tasks_can_submit_to_their_own_pool) {
  thread_pool_executor pool(1);  // one worker: the inner task must be queued, not awaited
  auto outer = pool.submit([&pool] { return pool.submit([] { return 5; }); });
  auto inner = outer.get();
  EXPECT_EQ(inner.get(), 5);
}

TEST(thread_pool_executor, a_task_may_shut_its_own_pool_down) {
  thread_pool_executor pool(2);
  auto f = pool.submit([&pool] {
    pool.shutdown(true);  // joins the other worker, not itself
    return 1;
  });
  EXPECT_EQ(f.get(), 1);
  EXPECT_THROW((void)pool.submit([] { return 1; }), poolbench::executor_shutdown);
}

// The scheduler state ('R', 'S', ...) of thread `tid` of this process.
char thread_state(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() ? text[paren + 2] : '?';
}

TEST(thread_pool_executor, shutdown_from_a_task_while_the_owner_joins_returns) {
  // The owner's destructor joins (holding the join lock) while a task calls
  // shutdown(true): the task must return instead of waiting for that lock.
  // Ordered by events, not sleeps: the task waits until submit() throws (the
  // destructor's shutdown began) and the owner's thread sleeps (after that,
  // only in the join: the queue lock is free, the task just took it), while
  // the other task holds the owner in its join until the call is made.
  const poolbench::test::deadline guard(60s);
  const auto owner = static_cast<pid_t>(::syscall(SYS_gettid));
  std::atomic<bool> calling{false};
  std::future<void> shut_down;
  {
    thread_pool_executor pool(2);
    shut_down = pool.submit([&pool, &calling, owner] {
      for (;;) {  // the deadline bounds these waits
        try {
          (void)pool.submit([] {});
        } catch (const poolbench::executor_shutdown&) {
          break;
        }
        std::this_thread::sleep_for(1ms);
      }
      while (thread_state(owner) != 'S')
        std::this_thread::sleep_for(1ms);
      calling = true;
      pool.shutdown(true);
    });
    (void)pool.submit([&calling] {
      while (!calling)
        std::this_thread::sleep_for(1ms);
    });
  }
  ASSERT_TRUE(ready_within(shut_down));
  EXPECT_NO_THROW(shut_down.get());
}

TEST(thread_pool_executor, two_tasks_shutting_down_at_once_both_return) {
  const poolbench::test::deadline guard(20s);
  thread_pool_executor pool(2);
  std::atomic<int> arrived{0};
  auto both = [&pool, &arrived] {
    ++arrived;
    while (arrived.load() < 2) {
      std::this_thread::yield();
    }
    pool.shutdown(true);
  };
  auto first = pool.submit(both);
  auto second = pool.submit(both);
  ASSERT_TRUE(ready_within(first));
  ASSERT_TRUE(ready_within(second));
}

}  // namespace
