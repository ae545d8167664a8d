// pool_pss_mib is the pool's own memory: it grows with a thread pool's
// workers (each thread has a stack and its client), much less with an async
// pool's (a coroutine frame and a client each), and it does not drift with
// the repetition index the way the whole process's peak_pss_mib does.
// Each test is a poolbench run with interleaved repetitions, so a case's later
// repetitions come after the other cases' pools were built and torn down.

#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <poolbench/runner/cost_counters.hpp>
#include <poolbench/runner/cost_meter.hpp>

#include <poolbench/executor/thread_pool_executor.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t repetitions = 6;

// Per case name, pool_pss_mib by repetition index.
using by_repetition = std::map<std::string, std::vector<double>>;

// Runs poolbench on the mix at `batch` and returns each case's
// pool_pss_mib by repetition index (every iteration run must have it).
by_repetition pool_pss_by_repetition(std::size_t batch) {
  by_repetition values;
  const auto out = testing::unique_temp_path("poolbench_pool_memory.json");
  const auto run = testing::run_program(POOLBENCH_PATH,
                                        {"--strategies",
                                         "serial,thread_pool,async_pool",
                                         "--modes",
                                         "warm",
                                         "--workers",
                                         "16,1024",
                                         "--batch",
                                         std::to_string(batch),
                                         "--keepalive=on",
                                         "--rounds",
                                         "3",
                                         "--repetitions",
                                         std::to_string(repetitions),
                                         "--warmup-rounds",
                                         "1",
                                         "--interleave",
                                         "--extra-budget",
                                         "0",
                                         "--allow-busy",
                                         "--out",
                                         out},
                                        600s);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  if (run.exit_code != 0)
    return values;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  for (const auto& r : doc["benchmarks"]) {
    if (r["run_type"] != "iteration")
      continue;
    EXPECT_TRUE(r.contains("peak_pss_mib")) << r["name"];
    if (!r.contains("pool_pss_mib")) {
      ADD_FAILURE() << r["name"] << " has no pool_pss_mib";
      continue;
    }
    auto& v = values[r["run_name"].get<std::string>()];
    const auto index = r["repetition_index"].get<std::size_t>();
    v.resize(std::max(v.size(), index + 1));
    v[index] = r["pool_pss_mib"].get<double>();
  }
  return values;
}

// Touches 16 KiB of the calling thread's stack: a worker's own pages.
int touch_stack(int x) {
  volatile char page[16 * 1024];
  for (std::size_t i = 0; i < sizeof page; i += 512)
    page[i] = static_cast<char>(x);
  return x + page[0] - page[512];
}

double median(std::vector<double> v) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double median_of(const by_repetition& values, const std::string& name) {
  const auto it = values.find(name);
  if (it == values.end()) {
    ADD_FAILURE() << "no case " << name;
    return 0;
  }
  return median(it->second);
}

std::string name_of(const std::string& strategy, int workers) {
  return strategy + "/warm/batch:64/workers:" + std::to_string(workers) + "/delay_ms:0/keepalive:1";
}

// At batch 64 only 64 workers ever send: the rest of the 1024 are bare
// workers, a thread's stack against a coroutine's frame.
TEST(pool_memory, grows_with_a_thread_pools_workers_and_less_with_an_async_pools) {
  const auto values = pool_pss_by_repetition(64);
  const double threads = median_of(values, name_of("thread_pool", 1024)) -
                         median_of(values, name_of("thread_pool", 16));
  const double coroutines =
      median_of(values, name_of("async_pool", 1024)) - median_of(values, name_of("async_pool", 16));
  // 1008 more threads: a stack's touched pages, its TLS and guard.
  EXPECT_GE(threads, 6.0);
  EXPECT_LT(coroutines, threads / 2) << "thread_pool grew " << threads << " MiB";
}

// No upward trend with the repetition index: every repetition of the later
// half is within 1 MiB of the earlier half's highest, where a drift like the
// whole process's (3 MiB a repetition over a default run, docs/noise.md)
// lifts the whole later half. Not a comparison of typical values: a
// repetition on a loaded machine can read several MiB above or below its
// neighbours (a CI run read 6.6 to 34.3 MiB for one case, up and down), and
// noise that goes both ways is not a drift. Batch 1024, so that every pool
// opens 1024 connections and the whole process does grow over the run.
TEST(pool_memory, does_not_drift_across_interleaved_repetitions) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "ThreadSanitizer's shadow memory and allocator are in every PSS figure";
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
  GTEST_SKIP() << "ThreadSanitizer's shadow memory and allocator are in every PSS figure";
#endif
#endif
  const auto values = pool_pss_by_repetition(1024);
  EXPECT_EQ(values.size(), 5u);  // serial, and both pools at 16 and 1024
  for (const auto& [name, v] : values) {
    ASSERT_EQ(v.size(), repetitions) << name;
    const std::vector<double> early(v.begin(), v.begin() + repetitions / 2);
    const std::vector<double> late(v.begin() + repetitions / 2, v.end());
    EXPECT_LE(
        *std::min_element(late.begin(), late.end()) - *std::max_element(early.begin(), early.end()),
        1.0)
        << name << ": " << ::testing::PrintToString(v);
  }
}

// The mechanism, where the whole process certainly grows: before each
// repetition the "run" keeps 4 MiB more (touched, never freed), as a long
// run's heap does. The whole process's peak rises by that much a repetition;
// what the pool adds (16 threads, each touching its stack) does not.
TEST(pool_memory, memory_the_runner_held_before_the_pool_is_not_the_pools) {
  constexpr std::size_t step = 4u << 20;
  std::vector<std::vector<char>> history;
  std::vector<double> peak, pool;
  const bench_case c{strategy::thread_pool, pool_mode::warm, {"a"}, 16, 0, connection::keep_alive};
  for (std::size_t rep = 0; rep < repetitions; ++rep) {
    history.emplace_back(step, static_cast<char>(rep + 1));  // written: resident
    cost_meter meter({16, std::nullopt, 1});
    meter.take_baseline();
    thread_pool_executor threads(16);
    std::vector<int> items(64, 1);
    auto futures = threads.map([](int x) { return touch_stack(x); }, items);
    for (auto& f : futures)
      ASSERT_EQ(f.get(), 1);
    meter.start({});
    const auto cost = meter.finish({}, items.size());
    const auto counters = cost_counters(c, cost, 1.0, {});
    peak.push_back(counters.at("peak_pss_mib"));
    pool.push_back(counters.at("pool_pss_mib"));
  }
  EXPECT_GE(peak.back() - peak.front(), 0.9 * 4.0 * (repetitions - 1))
      << "the whole process did not grow: " << ::testing::PrintToString(peak);
  const std::vector<double> early(pool.begin(), pool.begin() + repetitions / 2);
  const std::vector<double> late(pool.begin() + repetitions / 2, pool.end());
  EXPECT_LE(median(late) - median(early), 0.25) << ::testing::PrintToString(pool);
  EXPECT_LT(median(pool), 4.0) << ::testing::PrintToString(pool);
}

}  // namespace
}  // namespace poolbench::runner
