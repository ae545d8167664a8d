// Fault: a process-pool worker is SIGKILLed in the middle of a round.
// The pool must report broken_pool (not hang, not retry silently), poolbench
// must name the case and exit non-zero, and no worker may be left behind.

#include "fault_support.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

namespace poolbench::testing {
namespace {

using namespace std::chrono_literals;

TEST(process_pool_worker_killed, mid_round_reports_broken_pool_exits_1_and_leaves_no_process) {
  become_subreaper();
  // Unique per test process: a release and a sanitizer build may run at once.
  const std::string out =
      ::testing::TempDir() + "fault_worker_kill_" + std::to_string(getpid()) + ".json";
  // 4 requests of 200 ms on 2 workers: a round takes ~400 ms and the workers
  // are busy nearly all of it, so a kill lands mid-round.
  running_program poolbench(
      POOLBENCH_PATH,
      {"--strategies", "process_pool", "--modes", "warm", "--workers", "2", "--names", "a,b,c,d",
       "--delay-ms", "200", "--rounds", "40", "--repetitions", "1", "--out", out});
  const pid_t server = wait_for_embedded_server(poolbench, 30s);
  ASSERT_GT(server, 0) << poolbench.err();

  // The verification round runs on a pool of its own, shut down before the
  // timed rounds build theirs: wait for poolbench's testing event that the
  // timed rounds began (their pool is up), so the kill lands in a timed round.
  std::set<pid_t> workers_seen;
  const auto workers_now = [&] {
    auto children = children_of(poolbench.pid());
    std::erase(children, server);
    return children;
  };
  ASSERT_NE(poolbench.wait_for_event("timed ", 60s), "")
      << "poolbench never began its timed rounds\n"
      << poolbench.err();

  // Kill a worker, and again if that one happened to be between rounds or
  // in a pool being shut down (then nothing needs to notice): bounded tries.
  std::set<pid_t> killed;
  for (int attempt = 0; attempt < 100 && killed.size() < 10; ++attempt) {
    if (poolbench.wait_exit(0ms) || poolbench.err().find("broken_pool") != std::string::npos)
      break;
    const auto children = workers_now();
    workers_seen.insert(children.begin(), children.end());
    if (!children.empty()) {
      kill(children.front(), SIGKILL);
      killed.insert(children.front());
      (void)poolbench.wait_for_err("broken_pool", 300ms);  // noticed: the loop ends
    } else {
      std::this_thread::sleep_for(20ms);
    }
  }
  ASSERT_FALSE(killed.empty()) << "never saw a process-pool worker\n" << poolbench.err();

  const auto code = poolbench.wait_exit(60s);
  ASSERT_TRUE(code.has_value()) << "poolbench hung after a worker was killed\n" << poolbench.err();
  EXPECT_EQ(*code, 1) << poolbench.err();

  // stderr names the case, broken_pool and the worker that died.
  static const std::regex line(
      R"(poolbench: process_pool/warm/batch:4/workers:2/delay_ms:200: broken_pool: )"
      R"(process_pool_executor: worker (\d+) was killed by signal 9)");
  std::smatch m;
  const std::string err = poolbench.err();
  EXPECT_EQ(sanitizer_report(err), "") << err;
  ASSERT_TRUE(std::regex_search(err, m, line)) << err;
  EXPECT_TRUE(killed.count(std::stoi(m[1]))) << "the reported worker is not one we killed\n" << err;
  EXPECT_NE(err.find("1 case(s) failed"), std::string::npos) << err;

  // The result file says so too, and holds no timings for the case. A run
  // with a failed case goes beside --out, never to it.
  EXPECT_FALSE(std::ifstream(out).good()) << out;
  const std::string written = out.substr(0, out.size() - 5) + ".failed.json";
  std::ifstream in(written);
  const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::remove(written.c_str());
  ASSERT_FALSE(doc.is_discarded()) << "unreadable result file";
  ASSERT_FALSE(doc["benchmarks"].empty());
  for (const auto& run : doc["benchmarks"]) {
    EXPECT_TRUE(run.value("error_occurred", false)) << run.dump();
    EXPECT_NE(run.value("error_message", "").find("broken_pool"), std::string::npos) << run.dump();
    EXPECT_FALSE(run.contains("samples")) << run.dump();
  }

  // Nothing left: the embedded server and every worker are gone, and
  // nothing poolbench started was orphaned (it would be our child now).
  EXPECT_TRUE(gone_within(server, 10s)) << "embedded server " << server << " still runs";
  for (const pid_t w : workers_seen)
    EXPECT_TRUE(gone_within(w, 10s)) << "worker " << w << " still runs";
  const auto leftovers = collect_leftovers();
  EXPECT_TRUE(leftovers.empty()) << "left behind: " << ::testing::PrintToString(leftovers);
}

}  // namespace
}  // namespace poolbench::testing
