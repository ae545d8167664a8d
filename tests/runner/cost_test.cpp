// The cost meter counts what it says it counts: a task that burns a known CPU
// time costs that much per request whichever pool runs it (so worker
// processes, live or reaped inside the window, are counted), a process pool's
// PSS grows with its workers, the embedded server's CPU is read from its pid,
// and with --url the server counters are absent from the result file.

#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <poolbench/runner/cost_counters.hpp>
#include <poolbench/runner/cost_meter.hpp>
#include <poolbench/runner/file_limit.hpp>

#include <poolbench/executor/async_pool_executor.hpp>
#include <poolbench/executor/process_pool_executor.hpp>
#include <poolbench/executor/thread_pool_executor.hpp>
#include <poolbench/http/sync_client.hpp>
#include <poolbench/http/url.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <time.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <numeric>
#include <vector>

namespace poolbench::runner {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Tasks long enough that what the pool adds stays well inside the 15% the
// tests allow: a worker's fixed cost (fork, start-up, exit: about 20 ms of
// CPU for 3 workers under TSan, which made 60 tasks of 2 ms read 2,300-2,380
// us) and each task's own (its dispatch and reply under TSan on a loaded
// 2-core machine: about 0.5 ms, which made 240 tasks of 2 ms read 2,503 us).
// 120 x 10 ms of spin.
constexpr std::size_t tasks = 120;
constexpr std::size_t workers = 3;
constexpr double spin_seconds = 0.010;

double thread_cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Burns spin_seconds of this thread's CPU, however loaded the machine is.
int spin(int x) {
  const double start = thread_cpu_seconds();
  while (thread_cpu_seconds() - start < spin_seconds) {
  }
  return x;
}

std::vector<int> items() {
  std::vector<int> v(tasks);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

template <class Futures>
void wait_all(Futures& futures) {
  for (auto& f : futures)
    ASSERT_GE(f.get(), 0);
}

bench_case case_for(strategy s, pool_mode m, std::size_t w = workers) {
  return {s, m, {"a"}, w, 0, connection::keep_alive};
}

double cpu_us_per_request(const bench_case& c, const window_cost& cost) {
  return cost_counters(c, cost, 1.0, {}).at("client_cpu_us_per_request");
}

void expect_about_the_spin(double us, const char* pool) {
  EXPECT_NEAR(us, spin_seconds * 1e6, 0.15 * spin_seconds * 1e6) << pool;
}

TEST(cost_meter, thread_pool_tasks_cost_their_cpu_per_request) {
  thread_pool_executor pool(workers);
  cost_meter meter({workers, std::nullopt, 1});
  meter.start({});
  auto futures = pool.map(&spin, items());
  wait_all(futures);
  const auto cost = meter.finish({}, tasks);
  expect_about_the_spin(cpu_us_per_request(case_for(strategy::thread_pool, pool_mode::warm), cost),
                        "thread_pool");
}

TEST(cost_meter, warm_process_pool_workers_are_counted_from_proc) {
  process_pool_executor pool(workers);
  ASSERT_EQ(pool.worker_pids().size(), workers);
  cost_meter meter({workers, std::nullopt, 1});
  meter.start(pool.worker_pids());
  auto futures = pool.map(&spin, items());
  wait_all(futures);
  const auto cost = meter.finish(pool.worker_pids(), tasks);
  expect_about_the_spin(cpu_us_per_request(case_for(strategy::process_pool, pool_mode::warm), cost),
                        "warm process_pool");
  pool.shutdown(true);
}

TEST(cost_meter, cold_process_pool_workers_are_counted_once_reaped) {
  cost_meter meter({workers, std::nullopt, 1});
  meter.start({});
  {
    process_pool_executor pool(workers);
    auto futures = pool.map(&spin, items());
    wait_all(futures);
    pool.shutdown(true);  // reaps: RUSAGE_CHILDREN now holds the workers
  }
  const auto cost = meter.finish({}, tasks);
  expect_about_the_spin(cpu_us_per_request(case_for(strategy::process_pool, pool_mode::cold), cost),
                        "cold process_pool");
}

TEST(cost_meter, a_worker_reaped_inside_the_window_is_not_counted_twice) {
  process_pool_executor pool(workers);
  auto before = pool.map(&spin, items());  // CPU spent before the window
  wait_all(before);
  cost_meter meter({workers, std::nullopt, 1});
  meter.start(pool.worker_pids());
  auto futures = pool.map(&spin, items());
  wait_all(futures);
  pool.shutdown(true);
  const auto cost = meter.finish(pool.worker_pids(), tasks);
  expect_about_the_spin(cpu_us_per_request(case_for(strategy::process_pool, pool_mode::warm), cost),
                        "process_pool shut down inside the window");
}

asio::awaitable<int> spin_coroutine(int x) {
  co_return spin(x);
}

TEST(cost_meter, async_pool_tasks_cost_their_cpu_per_request) {
  asio::io_context ioc;
  cost_meter meter({1, std::nullopt, 1});
  meter.start({});
  auto done = asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<int> {
        async_pool_executor pool(co_await asio::this_coro::executor, workers);
        auto futures = pool.map(&spin_coroutine, items());
        int sum = 0;
        for (auto& f : futures)
          sum += co_await f.async_get();
        co_await pool.async_shutdown();
        co_return sum;
      },
      asio::use_future);
  ioc.run();
  ASSERT_EQ(done.get(), static_cast<int>(tasks * (tasks - 1) / 2));
  const auto cost = meter.finish({}, tasks);
  expect_about_the_spin(cpu_us_per_request(case_for(strategy::async_pool, pool_mode::warm), cost),
                        "async_pool");
}

int touch(int x) {
  return x + 1;
}

// The pool's peak PSS: runner plus workers, sampled by the meter.
window_cost pss_of_a_process_pool(std::size_t n) {
  cost_meter meter({n, std::nullopt, 1});
  meter.take_baseline();
  process_pool_executor pool(n);
  std::vector<int> some(2 * n, 1);
  auto futures = pool.map(&touch, some);
  for (auto& f : futures)
    (void)f.get();
  meter.start(pool.worker_pids());
  meter.after_round(1, 2, [&] { return pool.worker_pids(); });
  auto cost = meter.finish(pool.worker_pids(), some.size());
  pool.shutdown(true);
  return cost;
}

TEST(cost_meter, process_pool_pss_grows_with_its_workers) {
  const auto few = pss_of_a_process_pool(2);
  const auto many = pss_of_a_process_pool(32);
  ASSERT_GT(few.peak_pss_kib, 0u) << "smaps_rollup unreadable";
  // Every forked worker has pages of its own (stack, written heap): at least
  // one 4 KiB page each, beyond what the parent shares with it.
  EXPECT_GE(many.peak_pss_kib, few.peak_pss_kib + 30 * 4);
  EXPECT_GE(many.peak_own_kib, few.peak_own_kib + 30 * 4);
  const auto per_worker =
      cost_counters(case_for(strategy::process_pool, pool_mode::warm, 32), many, 1.0, {})
          .at("pss_kib_per_worker");
  EXPECT_GE(per_worker, 4.0);
}

TEST(cost_meter, the_servers_cpu_is_read_from_its_pid) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  cost_meter meter({1, server.pid(), 1});
  http::client_options options;
  options.mode = http::connection::keep_alive;
  http::sync_client client(http::url::parse(server.url()), options);
  (void)client.get_hello("warm", 0);
  meter.start({});
  for (int i = 0; i < 200; ++i)
    (void)client.get_hello("romeo", 0);
  const auto cost = meter.finish({}, 200);
  ASSERT_TRUE(cost.server_cpu_seconds.has_value());
  EXPECT_GT(*cost.server_cpu_seconds, 0.0);
  const auto counters =
      cost_counters(case_for(strategy::serial, pool_mode::warm, 1), cost, 1.0, {});
  EXPECT_GT(counters.at("server_cpu_us_per_request"), 0.0);
  EXPECT_TRUE(counters.count("server_busy"));
  // Client and server share the machine: together at least the server alone.
  EXPECT_GE(counters.at("cpu_busy") * static_cast<double>(cost.machine_cpus),
            counters.at("server_busy") * static_cast<double>(cost.server_cpus));
}

TEST(cost_meter, without_a_server_pid_there_are_no_server_counters) {
  cost_meter meter({1, std::nullopt, 1});
  meter.start({});
  const auto cost = meter.finish({}, 1);
  const auto counters =
      cost_counters(case_for(strategy::serial, pool_mode::warm, 1), cost, 1.0, {});
  EXPECT_EQ(counters.count("server_cpu_us_per_request"), 0u);
  EXPECT_EQ(counters.count("server_busy"), 0u);
  EXPECT_EQ(counters.count("server_bound"), 0u);
  EXPECT_EQ(counters.count("cpu_busy"), 0u);
  EXPECT_TRUE(counters.count("client_cpu_us_per_request"));
}

TEST(cost_counters, efficiency_is_the_ideal_waves_over_the_mean_round) {
  bench_case c{strategy::thread_pool, pool_mode::warm, std::vector<std::string>(100, "x"), 16, 10,
               connection::keep_alive};
  EXPECT_DOUBLE_EQ(*ideal_round_seconds(c), 0.07);  // ceil(100 / 16) = 7 waves of 10 ms
  const auto counters = cost_counters(c, window_cost{}, 0.14, {});
  EXPECT_DOUBLE_EQ(counters.at("efficiency"), 0.5);
  c.delay_ms = 0;
  EXPECT_FALSE(ideal_round_seconds(c).has_value());
  EXPECT_EQ(cost_counters(c, window_cost{}, 0.14, {}).count("efficiency"), 0u);
  // The floor at 16 in flight has the same ideal round as a pool of 16.
  c.strategy = strategy::floor;
  c.delay_ms = 10;
  EXPECT_DOUBLE_EQ(*ideal_round_seconds(c), 0.07);
}

TEST(cost_counters, a_round_of_chained_wakeups_is_wakeup_bound) {
  const bench_case one{
      strategy::serial,      pool_mode::warm, std::vector<std::string>(100, "x"), 1, 0,
      connection::keep_alive};
  // 100 requests one after another in 1 ms: 10 us each, 10 round trips of 1 us.
  const auto bound = wakeup_counters(one, 0.001, 1e-6);
  EXPECT_DOUBLE_EQ(bound.at("round_trips_per_request"), 10.0);
  EXPECT_EQ(bound.at("wakeup_bound"), 1.0);
  // The same round with 4 in flight: each request took 40 us of its lane.
  auto four = one;
  four.strategy = strategy::thread_pool;
  four.workers = 4;
  const auto overlapped = wakeup_counters(four, 0.001, 1e-6);
  EXPECT_DOUBLE_EQ(overlapped.at("round_trips_per_request"), 40.0);
  EXPECT_EQ(overlapped.at("wakeup_bound"), 0.0);
  // Without the noise check's round trip there is nothing to say.
  EXPECT_TRUE(wakeup_counters(one, 0.001, std::nullopt).empty());
}

TEST(cost_counters, pool_pss_is_the_peak_over_the_baseline_and_absent_for_cold_pools) {
  window_cost cost;
  cost.baseline_own_kib = 40 * 1024;
  cost.peak_own_kib = 52 * 1024;
  cost.peak_pss_kib = 61 * 1024;  // the whole process, file pages included
  const auto warm =
      cost_counters(case_for(strategy::thread_pool, pool_mode::warm, 1024), cost, 1.0, {});
  EXPECT_DOUBLE_EQ(warm.at("pool_pss_mib"), 12.0);
  EXPECT_DOUBLE_EQ(warm.at("peak_pss_mib"), 61.0);
  EXPECT_DOUBLE_EQ(cost_counters(case_for(strategy::serial, pool_mode::warm, 1), cost, 1.0, {})
                       .at("pool_pss_mib"),
                   12.0);
  EXPECT_EQ(cost_counters(case_for(strategy::thread_pool, pool_mode::cold), cost, 1.0, {})
                .count("pool_pss_mib"),
            0u);
  cost.peak_own_kib = 30 * 1024;  // below the baseline: nothing added, never negative
  EXPECT_DOUBLE_EQ(cost_counters(case_for(strategy::serial, pool_mode::warm, 1), cost, 1.0, {})
                       .at("pool_pss_mib"),
                   0.0);
}

TEST(file_limit, the_soft_limit_is_raised_to_the_hard_one) {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  const rlimit original = limit;
  if (limit.rlim_max > 64) {  // start below the hard limit, so there is something to raise
    limit.rlim_cur = 64;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  }
  const auto limits = raise_open_file_limit();
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  EXPECT_EQ(limit.rlim_cur, limit.rlim_max);
  EXPECT_EQ(limits.soft, static_cast<std::uint64_t>(limit.rlim_max));
  EXPECT_EQ(limits.hard, static_cast<std::uint64_t>(limit.rlim_max));
  if (original.rlim_max > 64) {
    EXPECT_EQ(limits.soft_before, 64u);
  }
  ::setrlimit(RLIMIT_NOFILE, &original);
}

TEST(program, with_url_the_server_counters_are_absent_and_the_client_ones_present) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const auto out = testing::unique_temp_path("poolbench_cost_url.json");
  const auto run = testing::run_program(
      POOLBENCH_PATH,
      {"--url", server.url(), "--strategies", "process_pool,async_pool", "--modes", "warm",
       "--keepalive=on", "--delay-ms", "1", "--quick", "--out", out},
      120s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  std::size_t iterations = 0;
  for (const auto& r : doc["benchmarks"]) {
    if (r["run_type"] != "iteration")
      continue;
    ++iterations;
    const auto name = r["name"].get<std::string>();
    EXPECT_FALSE(r.contains("server_cpu_us_per_request")) << name;
    EXPECT_FALSE(r.contains("server_busy")) << name;
    EXPECT_FALSE(r.contains("server_bound")) << name;
    EXPECT_FALSE(r.contains("cpu_busy")) << name;
    ASSERT_TRUE(r.contains("client_cpu_us_per_request")) << name;
    EXPECT_GT(r["client_cpu_us_per_request"].get<double>(), 0.0) << name;
    EXPECT_TRUE(r.contains("client_busy")) << name;
    EXPECT_GT(r["peak_pss_mib"].get<double>(), 0.0) << name;
    EXPECT_TRUE(r.contains("pool_start_us")) << name;
    EXPECT_TRUE(r.contains("pool_stop_us")) << name;
    EXPECT_TRUE(r.contains("efficiency")) << name;
  }
  EXPECT_GT(iterations, 0u);
}

}  // namespace
}  // namespace poolbench::runner
