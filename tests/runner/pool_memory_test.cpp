// pool_pss_mib is the pool's own memory: it grows with a thread pool's
// workers (each thread has a stack and its client), much less with an async
// pool's (a coroutine frame and a client each), and it does not drift with
// the repetition index the way the whole process's peak_pss_mib does.
// Each test is a poolbench run with interleaved repetitions, so a case's later
// repetitions come after the other cases' pools were built and torn down.

#include "server_process.hpp"

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
  const auto out = ::testing::TempDir() + "poolbench_pool_memory.json";
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

// No upward trend with the repetition index: the later half of the
// repetitions is not above the earlier half by more than 0.25 MiB, above the
// jitter measured for every case here and a tenth of the 3 MiB a repetition
// the whole process grew by over a default run (docs/noise.md). Batch 1024,
// so that every pool opens 1024 connections and the whole process does grow
// over the run (peak_pss_mib rose 0.6 MiB from the first half to the second
// for serial here).
TEST(pool_memory, does_not_drift_across_interleaved_repetitions) {
  const auto values = pool_pss_by_repetition(1024);
  EXPECT_EQ(values.size(), 5u);  // serial, and both pools at 16 and 1024
  for (const auto& [name, v] : values) {
    ASSERT_EQ(v.size(), repetitions) << name;
    const std::vector<double> early(v.begin(), v.begin() + repetitions / 2);
    const std::vector<double> late(v.begin() + repetitions / 2, v.end());
    EXPECT_LE(median(late) - median(early), 0.25) << name << ": " << ::testing::PrintToString(v);
  }
}

}  // namespace
}  // namespace poolbench::runner
