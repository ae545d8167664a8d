#include <poolbench/executor/process_pool_executor.hpp>

#include "bounded_wait.hpp"
#include "shared_memory.hpp"
#include "stress_scale.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using poolbench::process_pool_executor;
using poolbench::process_pool_options;
using namespace std::chrono_literals;

using poolbench::test::bounded;
using poolbench::test::ready_within;

// Memory shared with the forked workers (MAP_SHARED survives fork), for
// counters and gates that tasks in other processes update.
struct shared_block {
  std::atomic<int> in_flight;
  std::atomic<int> peak;
  std::atomic<int> started;
  std::atomic<int> gate_open;
  std::atomic<long> done;
};

shared_block* shared() {
  static shared_block* block = poolbench::test::map_shared<shared_block>();
  return block;
}

void reset_shared() {
  shared_block* s = shared();
  s->in_flight = 0;
  s->peak = 0;
  s->started = 0;
  s->gate_open = 0;
  s->done = 0;
}

// Waits (bounded) until the test opens the gate.
void wait_for_gate() {
  for (int i = 0; i < 60'000 && shared()->gate_open.load() == 0; ++i) {
    std::this_thread::sleep_for(1ms);
  }
}

int square(int x) {
  return x * x;
}
std::string greet(const std::string& name, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) {
    out += "Hello, " + name + ";";
  }
  return out;
}
std::vector<std::byte> reverse_bytes(std::vector<std::byte> v) {
  return std::vector<std::byte>(v.rbegin(), v.rend());
}
std::map<std::string, int> count_words(std::vector<std::string> words) {
  std::map<std::string, int> counts;
  for (const auto& w : words) {
    ++counts[w];
  }
  return counts;
}
int throw_invalid_argument(std::string message) {
  throw std::invalid_argument(message);
}
pid_t worker_pid() {
  return ::getpid();
}
void count_done() {
  ++shared()->done;
}
int gated(int x) {
  ++shared()->started;
  wait_for_gate();
  ++shared()->done;
  return x;
}
int crash() {
  std::abort();
}
int crash_after_gate() {
  wait_for_gate();
  std::abort();
}
int block_until_killed() {
  ++shared()->started;
  for (int i = 0; i < 600; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  return 0;
}
int measure_concurrency(int x) {
  shared_block* s = shared();
  const int now = ++s->in_flight;
  int seen = s->peak.load();
  while (now > seen && !s->peak.compare_exchange_weak(seen, now)) {
  }
  std::this_thread::sleep_for(200us);
  --s->in_flight;
  return x;
}
// Returns this worker's pid once `expected` tasks have started, or -1 when
// they did not all start within the bound.
pid_t meet_at_rendezvous(int expected) {
  ++shared()->started;
  for (int i = 0; i < 30'000 && shared()->started.load() < expected; ++i) {
    std::this_thread::sleep_for(1ms);
  }
  return shared()->started.load() >= expected ? ::getpid() : -1;
}
std::string echo_big(std::string s) {
  return s + s;
}
bool fd_is_open(int fd) {
  return ::fcntl(fd, F_GETFD) != -1;
}
std::size_t identity(std::size_t x) {
  return x;
}

int g_initialized = 0;  // set by the initializer, in the worker only
void initialize_worker() {
  g_initialized += 1;
}
int read_initialized() {
  return g_initialized;
}
void failing_initializer() {
  throw std::runtime_error("no");
}

std::size_t count_fds() {
  std::size_t n = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (const dirent* e = ::readdir(dir)) {
    n += e->d_name[0] != '.';
  }
  ::closedir(dir);
  return n - 1;  // the DIR's own descriptor
}

// This process's children as "pid (name)", zombies included, except a
// sanitizer's symbolizer: to symbolize a stack (to match a suppression,
// say) TSan starts llvm-symbolizer as a long-lived child of the process it
// checks, and that child is not the pool's. Without /proc/<tid>/children
// (a kernel built without it), any child at all, from waitpid.
std::string children_left() {
  std::string out;
  bool listed = false;
  DIR* tasks = ::opendir("/proc/self/task");
  for (dirent* e = tasks != nullptr ? ::readdir(tasks) : nullptr; e != nullptr;
       e = ::readdir(tasks)) {
    if (e->d_name[0] == '.')
      continue;
    std::ifstream children(std::string("/proc/self/task/") + e->d_name + "/children");
    if (!children)
      continue;
    listed = true;
    for (pid_t pid = 0; children >> pid;) {
      std::ifstream comm_file("/proc/" + std::to_string(pid) + "/comm");
      std::string comm;
      std::getline(comm_file, comm);
      if (comm.rfind("llvm-symbolizer", 0) == 0 || comm == "addr2line")
        continue;
      out += (out.empty() ? "" : ", ") + std::to_string(pid) + " (" + comm + ")";
    }
  }
  if (tasks != nullptr)
    ::closedir(tasks);
  int status = 0;
  if (!listed && !(::waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD))
    out = "a child (waitpid)";
  return out;
}

bool no_children_left() {
  return children_left().empty();
}

// Reaped: not even a zombie is left.
bool process_reaped(pid_t pid) {
  return ::kill(pid, 0) == -1 && errno == ESRCH;
}

class process_pool_executor_test : public ::testing::Test {
 protected:
  void SetUp() override { reset_shared(); }
};

TEST_F(process_pool_executor_test, submit_round_trips_arguments_and_results) {
  process_pool_executor pool(2);
  EXPECT_EQ(pool.submit(&square, 7).get(), 49);
  EXPECT_EQ(pool.submit(&greet, "romeo", 2).get(), "Hello, romeo;Hello, romeo;");
  const std::vector<std::byte> bytes{std::byte{1}, std::byte{2}, std::byte{3}};
  EXPECT_EQ(pool.submit(&reverse_bytes, bytes).get(),
            (std::vector<std::byte>{std::byte{3}, std::byte{2}, std::byte{1}}));
  const std::vector<std::string> words{"a", "b", "a"};
  EXPECT_EQ(pool.submit(&count_words, words).get(),
            (std::map<std::string, int>{{"a", 2}, {"b", 1}}));
  pool.submit(&count_done).get();
  EXPECT_EQ(shared()->done.load(), 1);
  EXPECT_NE(pool.submit(&worker_pid).get(), ::getpid());
}

TEST_F(process_pool_executor_test, map_returns_futures_in_input_order) {
  process_pool_executor pool(3);
  std::vector<int> items(500);
  std::iota(items.begin(), items.end(), 0);
  auto futures = pool.map(&square, items);
  ASSERT_EQ(futures.size(), items.size());
  for (int i = 0; i < 500; ++i) {
    EXPECT_EQ(futures[i].get(), i * i);
  }
}

TEST_F(process_pool_executor_test, task_exception_comes_back_with_its_message) {
  process_pool_executor pool(1);
  auto f = pool.submit(&throw_invalid_argument, "bad input 42");
  try {
    (void)f.get();
    FAIL() << "no exception";
  } catch (const poolbench::remote_task_error& e) {
    EXPECT_STREQ(e.what(), "bad input 42");
    EXPECT_EQ(e.remote_type(), "std::invalid_argument");
  }
  EXPECT_EQ(pool.submit(&square, 3).get(), 9);  // the worker survives
}

TEST_F(process_pool_executor_test, submit_after_shutdown_throws) {
  process_pool_executor pool(1);
  pool.shutdown();
  EXPECT_THROW((void)pool.submit(&square, 1), poolbench::executor_shutdown);
  EXPECT_THROW((void)pool.map(&square, std::vector<int>{1}), poolbench::executor_shutdown);
  EXPECT_TRUE(pool.worker_pids().empty());
  pool.shutdown();
}

TEST_F(process_pool_executor_test, shutdown_without_wait_lets_queued_tasks_finish) {
  std::vector<std::future<int>> futures;
  process_pool_executor pool(1);
  for (int i = 0; i < 5; ++i) {
    futures.push_back(pool.submit(&gated, i));
  }
  pool.shutdown(false);  // returns at once, although the first task waits for the gate
  EXPECT_THROW((void)pool.submit(&square, 1), poolbench::executor_shutdown);
  shared()->gate_open = 1;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(ready_within(futures[i]));
    EXPECT_EQ(futures[i].get(), i);
  }
}

TEST_F(process_pool_executor_test, cancel_futures_cancels_only_tasks_not_started) {
  process_pool_executor pool(1, process_pool_options{.tasks_ahead = 0});
  auto running = pool.submit(&gated, 1);
  std::vector<std::future<int>> queued;
  for (int i = 0; i < 10; ++i) {
    queued.push_back(pool.submit(&square, i));
  }
  for (int i = 0; i < 60'000 && shared()->started.load() == 0; ++i) {
    std::this_thread::sleep_for(1ms);
  }
  pool.shutdown(false, true);
  for (auto& f : queued) {
    ASSERT_TRUE(ready_within(f));
    EXPECT_THROW((void)f.get(), poolbench::task_cancelled);
  }
  shared()->gate_open = 1;
  ASSERT_TRUE(ready_within(running));
  EXPECT_EQ(running.get(), 1);
}

TEST_F(process_pool_executor_test, tasks_sent_ahead_are_not_cancelled) {
  process_pool_executor pool(1);  // tasks_ahead = 1: the second job waits in the worker's socket
  auto running = pool.submit(&gated, 1);
  std::vector<std::future<int>> queued;
  for (int i = 0; i < 10; ++i) {
    queued.push_back(pool.submit(&square, i));
  }
  for (int i = 0; i < 60'000 && shared()->started.load() == 0; ++i) {
    std::this_thread::sleep_for(1ms);
  }
  pool.shutdown(false, true);
  shared()->gate_open = 1;
  ASSERT_TRUE(ready_within(running));
  EXPECT_EQ(running.get(), 1);
  ASSERT_TRUE(ready_within(queued[0]));
  EXPECT_EQ(queued[0].get(), 0);
  for (std::size_t i = 1; i < queued.size(); ++i) {
    ASSERT_TRUE(ready_within(queued[i]));
    EXPECT_THROW((void)queued[i].get(), poolbench::task_cancelled);
  }
}

TEST_F(process_pool_executor_test, destructor_runs_pending_work_and_reaps_every_worker) {
  std::vector<pid_t> pids;
  {
    process_pool_executor pool(2);
    pids = pool.worker_pids();
    for (int i = 0; i < 100; ++i) {
      (void)pool.submit(&count_done);
    }
  }
  EXPECT_EQ(shared()->done.load(), 100);
  EXPECT_TRUE(no_children_left()) << children_left();
  for (const pid_t pid : pids) {
    EXPECT_TRUE(process_reaped(pid)) << pid;
  }
}

TEST_F(process_pool_executor_test, runs_one_task_on_every_worker_at_once) {
  // Each task waits (bounded) until all `workers` tasks have started: they
  // all meet only if the pool runs them at the same time, one per worker
  // process (not two queued behind one worker while another idles).
  constexpr int workers = 3;
  process_pool_executor pool(workers);
  const std::vector<pid_t> pids = pool.worker_pids();
  auto futures = pool.map(&meet_at_rendezvous, std::vector<int>(workers, workers));
  std::set<pid_t> ran_on;
  for (auto& f : futures) {
    ASSERT_TRUE(ready_within(f));
    const pid_t pid = f.get();
    ASSERT_GT(pid, 0) << "a task never met the others: they did not run at once";
    ran_on.insert(pid);
  }
  EXPECT_EQ(ran_on, std::set<pid_t>(pids.begin(), pids.end()));
}

TEST_F(process_pool_executor_test, stress_tiny_tasks_no_loss_no_duplicate) {
  const std::size_t n = poolbench::test::scaled(100'000);
  process_pool_executor pool(2);
  std::vector<std::future<std::size_t>> futures;
  futures.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    futures.push_back(pool.submit(&identity, i));
  }
  std::vector<int> seen(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t v = futures[i].get();
    ASSERT_EQ(v, i);
    ++seen[v];
  }
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(seen[i], 1);
  }
}

TEST_F(process_pool_executor_test, many_producers_at_once) {
  const std::size_t per_producer = poolbench::test::scaled(5'000);
  process_pool_executor pool(2);
  std::atomic<std::size_t> sum{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&] {
      std::vector<std::future<std::size_t>> futures;
      for (std::size_t i = 0; i < per_producer; ++i) {
        futures.push_back(pool.submit(&identity, i));
      }
      for (auto& f : futures) {
        sum += f.get();
      }
    });
  }
  for (auto& t : producers) {
    t.join();
  }
  EXPECT_EQ(sum.load(), 4 * (per_producer * (per_producer - 1) / 2));
}

TEST_F(process_pool_executor_test, crashing_task_breaks_the_pool_without_hanging) {
  process_pool_executor pool(1);
  auto crashed = pool.submit(&crash_after_gate);
  std::vector<std::future<int>> pending;
  for (int i = 0; i < 20; ++i) {
    pending.push_back(pool.submit(&square, i));
  }
  shared()->gate_open = 1;
  ASSERT_TRUE(ready_within(crashed));
  try {
    (void)crashed.get();
    FAIL() << "no exception";
  } catch (const poolbench::broken_pool& e) {
    EXPECT_NE(std::string(e.what()).find("signal 6"), std::string::npos) << e.what();
  }
  for (auto& f : pending) {
    ASSERT_TRUE(ready_within(f));
    EXPECT_THROW((void)f.get(), poolbench::broken_pool);
  }
  EXPECT_TRUE(pool.broken());
  EXPECT_THROW((void)pool.submit(&square, 1), poolbench::broken_pool);
  EXPECT_TRUE(no_children_left()) << children_left();
}

TEST_F(process_pool_executor_test, killed_worker_breaks_the_pool_without_hanging) {
  process_pool_executor pool(2);
  const std::vector<pid_t> pids = pool.worker_pids();
  auto victim = pool.submit(&block_until_killed);
  auto other = pool.submit(&block_until_killed);
  auto queued = pool.submit(&square, 2);
  for (int i = 0; i < 60'000 && shared()->started.load() < 2; ++i) {
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(::kill(pids.front(), SIGKILL), 0);
  for (auto* f : {&victim, &other, &queued}) {
    ASSERT_TRUE(ready_within(*f));
    EXPECT_THROW((void)f->get(), poolbench::broken_pool);
  }
  EXPECT_THROW((void)pool.submit(&square, 1), poolbench::broken_pool);
  EXPECT_TRUE(no_children_left()) << children_left();
  for (const pid_t pid : pids) {
    EXPECT_TRUE(process_reaped(pid)) << pid;
  }
}

TEST_F(process_pool_executor_test, leaves_no_descriptor_and_no_zombie_behind) {
  const std::size_t before = count_fds();
  {
    process_pool_executor pool(3, process_pool_options{.max_tasks_per_child = 2});
    auto futures = pool.map(&square, std::vector<int>(50, 3));
    for (auto& f : futures) {
      EXPECT_EQ(f.get(), 9);
    }
  }
  EXPECT_EQ(count_fds(), before);
  EXPECT_TRUE(no_children_left()) << children_left();
  {
    process_pool_executor pool(2);
    (void)pool.submit(&crash);
    pool.shutdown(true);
  }
  EXPECT_EQ(count_fds(), before);
  EXPECT_TRUE(no_children_left()) << children_left();
}

TEST_F(process_pool_executor_test, max_tasks_per_child_recycles_workers) {
  process_pool_executor pool(1, process_pool_options{.max_tasks_per_child = 2});
  std::vector<pid_t> pids;
  for (int i = 0; i < 6; ++i) {
    pids.push_back(pool.submit(&worker_pid).get());
  }
  EXPECT_EQ(pids[0], pids[1]);
  EXPECT_EQ(pids[2], pids[3]);
  EXPECT_EQ(pids[4], pids[5]);
  EXPECT_EQ(std::set<pid_t>(pids.begin(), pids.end()).size(), 3u);
  EXPECT_TRUE(process_reaped(pids[0]));
  EXPECT_TRUE(process_reaped(pids[2]));
}

TEST_F(process_pool_executor_test, initializer_runs_once_in_every_worker) {
  process_pool_options options;
  options.initializer = &initialize_worker;
  options.max_tasks_per_child = 3;
  process_pool_executor pool(2, options);
  auto futures = pool.map(&measure_concurrency, std::vector<int>(10, 0));
  for (auto& f : futures) {
    (void)f.get();
  }
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(pool.submit(&read_initialized).get(), 1);  // recycled workers too
  }
  EXPECT_EQ(g_initialized, 0);  // never in the parent
}

TEST_F(process_pool_executor_test, failing_initializer_breaks_the_pool) {
  process_pool_options options;
  options.initializer = &failing_initializer;
  process_pool_executor pool(1, options);
  // The worker may die before or after submit(): either way broken_pool.
  std::string message;
  try {
    auto f = pool.submit(&square, 2);
    ASSERT_TRUE(ready_within(f));
    (void)f.get();
  } catch (const poolbench::broken_pool& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("initializer"), std::string::npos) << message;
}

TEST_F(process_pool_executor_test, refuses_to_fork_while_other_threads_run) {
  std::promise<void> stop;
  std::thread other([f = stop.get_future()]() mutable { f.wait(); });
  EXPECT_THROW(process_pool_executor(1), std::logic_error);
  {
    process_pool_executor pool(1, process_pool_options{.allow_threads = true});
    EXPECT_EQ(pool.submit(&square, 5).get(), 25);
  }
  stop.set_value();
  other.join();
}

// Open descriptors of another process (entries of /proc/<pid>/fd), or -1.
int descriptors_of(pid_t pid) {
  DIR* dir = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (dir == nullptr)
    return -1;
  int n = 0;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] != '.')
      ++n;
  }
  ::closedir(dir);
  return n;
}

// Worker k is forked while the pool holds its k older siblings' sockets and
// pidfds; it must close them all (or a sibling never sees EOF), so once every
// worker has started, all hold the same number of descriptors.
TEST_F(process_pool_executor_test, workers_close_their_siblings_descriptors) {
  process_pool_executor pool(12);
  const auto pids = pool.worker_pids();
  ASSERT_EQ(pids.size(), 12u);
  std::set<int> counts;
  const auto until = std::chrono::steady_clock::now() + 10s;  // workers close at start-up
  do {
    counts.clear();
    for (pid_t pid : pids)
      counts.insert(descriptors_of(pid));
    if (counts.size() == 1)
      break;
    std::this_thread::sleep_for(10ms);
  } while (std::chrono::steady_clock::now() < until);
  EXPECT_EQ(counts.size(), 1u) << "workers hold different descriptor counts: " << *counts.begin()
                               << " .. " << *counts.rbegin();
  EXPECT_GT(*counts.begin(), 0);
}

TEST_F(process_pool_executor_test, close_inherited_fds_closes_the_parents_descriptors) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);  // deliberately without O_CLOEXEC: fork keeps it anyway
  {
    process_pool_executor keeps(1);
    EXPECT_TRUE(keeps.submit(&fd_is_open, ends[0]).get());
  }
  {
    process_pool_executor closes(1, process_pool_options{.close_inherited_fds = true});
    EXPECT_FALSE(closes.submit(&fd_is_open, ends[0]).get());
    EXPECT_FALSE(closes.submit(&fd_is_open, ends[1]).get());
    EXPECT_TRUE(closes.submit(&fd_is_open, 2).get());  // stderr stays
  }
  ::close(ends[0]);
  ::close(ends[1]);
}

TEST_F(process_pool_executor_test, large_arguments_and_results_do_not_deadlock) {
  process_pool_executor pool(1);  // a queued-ahead job must never block the collector
  const std::string big(1 << 20, 'x');
  std::vector<std::future<std::string>> futures;
  for (int i = 0; i < 8; ++i) {
    futures.push_back(pool.submit(&echo_big, big));
  }
  for (auto& f : futures) {
    ASSERT_TRUE(ready_within(f));
    EXPECT_EQ(f.get().size(), 2u << 20);
  }
}

TEST_F(process_pool_executor_test, rejects_zero_workers) {
  EXPECT_THROW(process_pool_executor(0), std::invalid_argument);
}

}  // namespace
