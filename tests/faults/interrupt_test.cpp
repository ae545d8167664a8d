// Fault: SIGINT (a user's Ctrl-C) reaches poolbench while a process-pool
// round runs against its embedded server. poolbench must stop at once, and
// take the embedded server and every pool worker with it.

#include "fault_support.hpp"

#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <set>
#include <thread>

namespace poolbench::testing {
namespace {

using namespace std::chrono_literals;

struct pool_variant {
  const char* name;
};
// Names the case in test names (and so in results/RELIABILITY.md).
void PrintTo(const pool_variant& v, std::ostream* os) {
  *os << v.name;
}

class sigint_mid_run : public ::testing::TestWithParam<pool_variant> {};

TEST_P(sigint_mid_run, stops_promptly_and_ends_embedded_server_and_every_worker) {
  become_subreaper();
  const std::string variant = GetParam().name;
  running_program poolbench(
      POOLBENCH_PATH,
      {"--strategies", "process_pool", "--modes", variant, "--workers", "3", "--names",
       "a,b,c,d,e,f", "--delay-ms", "200", "--rounds", "50", "--repetitions", "1"});
  const pid_t server = wait_for_embedded_server(poolbench, 30s);
  ASSERT_GT(server, 0) << poolbench.err();

  // Into the timed rounds (poolbench's testing event), then until the pool
  // that runs them has its workers (a warm pool has them already, a cold
  // one forks them for each round): bounded.
  ASSERT_NE(poolbench.wait_for_event("timed ", 60s), "")
      << "poolbench never began its timed rounds\n"
      << poolbench.err();
  std::set<pid_t> workers;
  for (int i = 0; i < 3000 && workers.empty() && !poolbench.wait_exit(0ms); ++i) {  // ~30 s
    auto children = children_of(poolbench.pid());
    std::erase(children, server);
    workers.insert(children.begin(), children.end());
    if (workers.empty())
      std::this_thread::sleep_for(10ms);
  }
  ASSERT_FALSE(workers.empty()) << "never saw a process-pool worker\n" << poolbench.err();
  auto children = children_of(poolbench.pid());  // any the pool forked since
  std::erase(children, server);
  workers.insert(children.begin(), children.end());

  poolbench.signal(SIGINT);
  const auto code = poolbench.wait_exit(30s);
  ASSERT_TRUE(code.has_value()) << "poolbench did not stop on SIGINT\n" << poolbench.err();
  // It dies by the signal it got (the handler stops the server, then re-raises).
  EXPECT_EQ(*code, 128 + SIGINT) << poolbench.err();
  EXPECT_EQ(sanitizer_report(poolbench.err()), "") << poolbench.err();

  EXPECT_TRUE(gone_within(server, 10s)) << "embedded server " << server << " survived SIGINT";
  for (const pid_t w : workers)
    EXPECT_TRUE(gone_within(w, 10s)) << "process-pool worker " << w << " survived SIGINT";
  // Workers die with poolbench (parent-death signal) and are reaped by
  // whoever adopts them: here this test. A live one would be a leak.
  for (const auto& left : collect_leftovers())
    EXPECT_NE(left.find(" (Z)"), std::string::npos) << "still running after SIGINT: " << left;
}

INSTANTIATE_TEST_SUITE_P(process_pool, sigint_mid_run,
                         ::testing::Values(pool_variant{"warm"}, pool_variant{"cold"}));

}  // namespace
}  // namespace poolbench::testing
