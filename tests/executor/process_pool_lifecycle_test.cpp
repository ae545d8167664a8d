// Process pool scenarios that used to hang or were never tested: shutdown
// and crash detection while other processes hold the pool's sockets, pools
// side by side, recycled workers whose initializer fails, idle deaths, the
// parent's death, and replies too large for the sent-ahead budget. Each runs
// under a deadline, so a regression fails instead of hanging the suite.
#include <poolbench/executor/process_pool_executor.hpp>

#include "deadline.hpp"
#include "shared_memory.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using poolbench::process_pool_executor;
using poolbench::process_pool_options;
using poolbench::test::deadline;
using namespace std::chrono_literals;

struct lifecycle_counters {
  std::atomic<int> initializer_runs;
  std::atomic<pid_t> holder;  // a process that keeps a copy of a worker's socket
};

lifecycle_counters* counters() {
  static lifecycle_counters* block = poolbench::test::map_shared<lifecycle_counters>();
  return block;
}

int triple(int x) {
  return 3 * x;
}

// Sleeps for at most `seconds`, then exits: a bounded stand-in for a
// process that keeps inherited descriptors open.
[[noreturn]] void hold_descriptors_for(int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    ::usleep(100'000);
  }
  ::_exit(0);
}

// Forks a process that inherits this worker's socket, then crashes: the
// pool's end sees no EOF while that copy lives.
int fork_a_holder_then_crash() {
  const pid_t holder = ::fork();
  if (holder == 0) {
    hold_descriptors_for(90);  // longer than the test's deadline
  }
  counters()->holder = holder;
  std::abort();
}

void initializer_that_fails_after_the_first_run() {
  if (counters()->initializer_runs++ > 0) {
    throw std::runtime_error("second initializer run");
  }
}

std::string reply_of_one_mib(std::string request) {
  return std::string(std::size_t{1} << 20, request.empty() ? '?' : request.front());
}

bool dead_or_zombie(pid_t pid) {
  if (::kill(pid, 0) == -1) {
    return true;
  }
  // A zombie not yet reaped by its new parent runs no code any more.
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  std::FILE* f = std::fopen(path, "re");
  if (f == nullptr) {
    return true;
  }
  int ignored = 0;
  char state = 0;
  const bool parsed = std::fscanf(f, "%d (%*[^)]) %c", &ignored, &state) == 2;
  std::fclose(f);
  return parsed && (state == 'Z' || state == 'X');
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

class process_pool_lifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    counters()->initializer_runs = 0;
    counters()->holder = 0;
  }
};

TEST_F(process_pool_lifecycle, an_earlier_pool_shuts_down_while_a_later_pool_runs) {
  // B's workers inherit copies of A's sockets; A must still stop its workers.
  const deadline guard(60s);
  auto a = std::make_unique<process_pool_executor>(2);
  process_pool_executor b(2, process_pool_options{.allow_threads = true});
  EXPECT_EQ(a->submit(&triple, 1).get(), 3);
  EXPECT_EQ(b.submit(&triple, 2).get(), 6);
  a.reset();
  EXPECT_EQ(b.submit(&triple, 3).get(), 9);
}

TEST_F(process_pool_lifecycle, pools_side_by_side_are_destroyed_in_every_order) {
  const deadline guard(120s);
  for (const std::size_t n : {2u, 3u}) {
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) {
      order[i] = i;
    }
    do {
      std::vector<std::unique_ptr<process_pool_executor>> pools;
      for (std::size_t i = 0; i < n; ++i) {
        // Only the first is created while the process has a single thread.
        pools.push_back(std::make_unique<process_pool_executor>(
            2, process_pool_options{.allow_threads = i > 0}));
      }
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(pools[i]->submit(&triple, static_cast<int>(i)).get(), 3 * static_cast<int>(i));
      }
      for (const std::size_t victim : order) {
        pools[victim].reset();
      }
    } while (std::next_permutation(order.begin(), order.end()));
  }
}

TEST_F(process_pool_lifecycle, shutdown_finishes_while_a_forked_process_holds_the_sockets) {
  const deadline guard(30s);
  pid_t holder = 0;
  {
    process_pool_executor pool(2);
    EXPECT_EQ(pool.submit(&triple, 4).get(), 12);
    holder = ::fork();  // a user's fork(): keeps copies of the pool's descriptors
    if (holder == 0) {
      hold_descriptors_for(90);  // longer than the test's deadline
    }
    ASSERT_GT(holder, 0);
  }
  kill_and_reap(holder);
}

TEST_F(process_pool_lifecycle, a_crash_is_seen_while_another_process_holds_the_workers_socket) {
  const deadline guard(30s);
  process_pool_executor pool(1);
  auto crashed = pool.submit(&fork_a_holder_then_crash);
  try {
    (void)crashed.get();
    ADD_FAILURE() << "no exception";
  } catch (const poolbench::broken_pool& e) {
    EXPECT_NE(std::string(e.what()).find("signal 6"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)pool.submit(&triple, 1), poolbench::broken_pool);
  if (const pid_t holder = counters()->holder.load(); holder > 0) {
    ::kill(holder, SIGKILL);  // not our child (its parent was the worker)
  }
}

TEST_F(process_pool_lifecycle, a_worker_that_dies_while_idle_breaks_the_pool) {
  const deadline guard(60s);
  process_pool_executor pool(2);
  EXPECT_EQ(pool.submit(&triple, 5).get(), 15);
  ASSERT_EQ(::kill(pool.worker_pids().front(), SIGKILL), 0);
  while (!pool.broken()) {
    std::this_thread::sleep_for(1ms);  // the deadline bounds this
  }
  EXPECT_THROW((void)pool.submit(&triple, 1), poolbench::broken_pool);
  EXPECT_TRUE(pool.worker_pids().empty());
}

TEST_F(process_pool_lifecycle, an_initializer_failing_in_a_recycled_worker_breaks_the_pool) {
  const deadline guard(60s);
  process_pool_options options;
  options.max_tasks_per_child = 1;
  options.initializer = &initializer_that_fails_after_the_first_run;
  process_pool_executor pool(1, options);
  EXPECT_EQ(pool.submit(&triple, 6).get(), 18);
  // The replacement's initializer throws: before or after this submit, the
  // answer is broken_pool naming the initializer.
  std::string message;
  try {
    (void)pool.submit(&triple, 7).get();
  } catch (const poolbench::broken_pool& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("initializer"), std::string::npos) << message;
  EXPECT_EQ(counters()->initializer_runs.load(), 2);
}

TEST_F(process_pool_lifecycle, workers_die_with_their_parent) {
  const deadline guard(60s);
  int pids_pipe[2];
  ASSERT_EQ(::pipe(pids_pipe), 0);
  const pid_t parent = ::fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {
    ::close(pids_pipe[0]);
    try {
      process_pool_executor pool(2);
      std::array<pid_t, 2> pids{};
      const auto live = pool.worker_pids();
      std::copy_n(live.begin(), std::min(live.size(), pids.size()), pids.begin());
      (void)!::write(pids_pipe[1], pids.data(), sizeof pids);
      hold_descriptors_for(30);  // until SIGKILL
    } catch (...) {
      ::_exit(2);  // the parent reads no pids and fails
    }
  }
  ::close(pids_pipe[1]);
  std::array<pid_t, 2> workers{};
  ASSERT_EQ(::read(pids_pipe[0], workers.data(), sizeof workers),
            static_cast<ssize_t>(sizeof workers));
  ::close(pids_pipe[0]);
  kill_and_reap(parent);
  // PDEATHSIG=SIGKILL: gone within moments; poll with a generous bound.
  for (const pid_t worker : workers) {
    ASSERT_GT(worker, 0);
    for (int i = 0; i < 20'000 && !dead_or_zombie(worker); ++i) {
      std::this_thread::sleep_for(1ms);
    }
    EXPECT_TRUE(dead_or_zombie(worker)) << worker;
  }
}

TEST_F(process_pool_lifecycle, large_requests_and_replies_with_many_jobs_ahead_do_not_deadlock) {
  // Jobs of 30 KiB each, many allowed ahead, replies of 1 MiB: the requests
  // sent ahead must never stop the pool from reading the worker's replies.
  const deadline guard(120s);
  process_pool_executor pool(1, process_pool_options{.tasks_ahead = 16});
  std::vector<std::future<std::string>> futures;
  for (int i = 0; i < 32; ++i) {
    futures.push_back(pool.submit(&reply_of_one_mib, std::string(30 * 1024, 'a' + i % 26)));
  }
  for (int i = 0; i < 32; ++i) {
    const std::string reply = futures[i].get();
    ASSERT_EQ(reply.size(), std::size_t{1} << 20);
    EXPECT_EQ(reply.front(), 'a' + i % 26);
  }
}

}  // namespace
