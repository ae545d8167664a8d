// The fork-safety check must not mistake a thread that was just joined for a
// running one (the kernel lists it in /proc/self/task for a moment after
// join() returns), and must still refuse while a foreign thread really runs.
#include <poolbench/executor/detail/fork_safety.hpp>
#include <poolbench/executor/process_pool_executor.hpp>

#include "stress_scale.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>

namespace {

using poolbench::process_pool_executor;
using poolbench::detail::live_threads;
using poolbench::detail::runtime_threads;

int add_one(int x) {
  return x + 1;
}

TEST(fork_safety, a_joined_thread_is_never_counted) {
  const std::size_t alone = 1 + runtime_threads();
  const std::size_t n = poolbench::test::scaled(20'000);
  for (std::size_t i = 0; i < n; ++i) {
    std::thread([] {}).join();
    ASSERT_LE(live_threads(), alone) << "iteration " << i;
  }
}

TEST(fork_safety, a_pool_right_after_a_joined_thread_never_refuses) {
  const std::size_t n = poolbench::test::scaled(300);
  for (std::size_t i = 0; i < n; ++i) {
    std::thread([] {}).join();
    ASSERT_NO_THROW(process_pool_executor(1)) << "iteration " << i;
  }
}

TEST(fork_safety, a_pool_right_after_another_pool_never_refuses) {
  // Each destructor joins the pool's collector thread; the next constructor
  // checks the thread count straight after.
  const std::size_t n = poolbench::test::scaled(300);
  for (std::size_t i = 0; i < n; ++i) {
    process_pool_executor pool(1);
    ASSERT_EQ(pool.submit(&add_one, 1).get(), 2) << "iteration " << i;
  }
}

TEST(fork_safety, a_running_foreign_thread_still_refuses) {
  std::promise<void> stop_blocked;
  std::thread blocked([f = stop_blocked.get_future()]() mutable { f.wait(); });
  EXPECT_THROW(process_pool_executor(1), std::logic_error);
  stop_blocked.set_value();
  blocked.join();

  std::atomic<bool> stop_spinning{false};
  std::atomic<bool> spinning{false};
  std::thread spinner([&] {
    spinning = true;
    while (!stop_spinning.load()) {
    }
  });
  while (!spinning.load()) {
    std::this_thread::yield();
  }
  EXPECT_GT(live_threads(), 1 + runtime_threads());
  EXPECT_THROW(process_pool_executor(1), std::logic_error);
  stop_spinning = true;
  spinner.join();
}

}  // namespace
