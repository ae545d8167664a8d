// Fault: the server (an external poolbench-server given with --url) is
// SIGKILLed in the middle of a run. poolbench must stop with exit 2 and one
// line naming the lost server, well within the client's read timeout (no
// request may wait for an answer that cannot come), for every strategy.

#include "fault_support.hpp"
#include "server_process.hpp"

#include <dirent.h>
#include <signal.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <thread>

namespace poolbench::testing {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

// Open descriptors of a process: a request in flight holds one more.
std::size_t open_fds(pid_t pid) {
  DIR* dir = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (dir == nullptr)
    return 0;
  std::size_t n = 0;
  while (readdir(dir) != nullptr)
    ++n;
  closedir(dir);
  return n;
}

struct server_kill_case {
  const char* strategy;
  bool keepalive;
};

// Names the case in test names (and so in results/RELIABILITY.md).
void PrintTo(const server_kill_case& c, std::ostream* os) {
  *os << c.strategy << (c.keepalive ? "_keepalive" : "_fresh");
}

class server_killed_mid_run : public ::testing::TestWithParam<server_kill_case> {};

TEST_P(server_killed_mid_run, exits_2_with_one_line_within_the_read_timeout) {
  become_subreaper();
  const auto [strategy, keepalive] = GetParam();
  server_process server(POOLBENCH_SERVER_PATH);
  const std::size_t idle_fds = open_fds(server.pid());
  // The read timeout is far longer than the run needs until the kill: a
  // client left waiting for an answer would show as a run that long.
  constexpr auto read_timeout = 20s;
  std::vector<std::string> args = {"--url",
                                   server.url(),
                                   "--strategies",
                                   strategy,
                                   "--modes",
                                   "warm",
                                   "--names",
                                   "a,b,c,d",
                                   "--delay-ms",
                                   "200",
                                   "--rounds",
                                   "50",
                                   "--workers",
                                   "2",
                                   "--repetitions",
                                   "2",
                                   "--read-timeout-ms",
                                   std::to_string(std::chrono::milliseconds(read_timeout).count())};
  if (keepalive)
    args.push_back("--keepalive");
  running_program poolbench(POOLBENCH_PATH, args);

  // Into the timed rounds: poolbench says when they begin (its testing
  // event, docs/developing.md), past the verification and warm-up rounds.
  // Then until the server holds a request (bounded; with keep-alive the
  // open connections already count).
  const std::string timed = poolbench.wait_for_event("timed ", 60s);
  ASSERT_NE(timed, "") << "poolbench never began its timed rounds\n" << poolbench.err();
  bool busy = false;
  for (int i = 0; i < 3000 && !busy && !poolbench.wait_exit(0ms); ++i) {  // at most ~30 s
    busy = open_fds(server.pid()) > idle_fds;
    if (!busy)
      std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(busy) << "no request reached the server in " << timed << "\n" << poolbench.err();
  const auto killed_at = clock::now();
  EXPECT_EQ(server.stop(SIGKILL), 128 + SIGKILL);

  const auto code = poolbench.wait_exit(60s);
  ASSERT_TRUE(code.has_value()) << "poolbench hung after its server died\n" << poolbench.err();
  EXPECT_LT(clock::now() - killed_at, read_timeout) << "a request waited out its read timeout";
  EXPECT_EQ(*code, 2) << poolbench.err();
  const std::string err = without_busy_warnings(poolbench.err());
  EXPECT_EQ(sanitizer_report(err), "") << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(err.rfind("poolbench: lost the server " + server.url() + "/ mid-run", 0), 0u) << err;
  EXPECT_NE(err.find(std::string(strategy) + "/warm/batch:4/"), std::string::npos) << err;
  EXPECT_EQ(poolbench.out(), "") << "a table of a failed run";
  const auto leftovers = collect_leftovers();
  EXPECT_TRUE(leftovers.empty()) << "left behind: " << ::testing::PrintToString(leftovers);
}

INSTANTIATE_TEST_SUITE_P(
    every_strategy, server_killed_mid_run,
    ::testing::Values(server_kill_case{"serial", false}, server_kill_case{"thread_pool", false},
                      server_kill_case{"process_pool", false},
                      server_kill_case{"async_pool", false}, server_kill_case{"serial", true},
                      server_kill_case{"thread_pool", true}, server_kill_case{"process_pool", true},
                      server_kill_case{"async_pool", true}));

// The embedded server (poolbench's own child) dying mid-run is the same
// fault: exit 2, one line after the "started" line, nothing left behind.
TEST(embedded_server_killed_mid_run, process_pool_run_exits_2_with_one_line_and_leaves_no_process) {
  become_subreaper();
  running_program poolbench(
      POOLBENCH_PATH,
      {"--strategies", "process_pool", "--modes", "warm", "--names", "a,b,c,d", "--delay-ms", "200",
       "--rounds", "50", "--workers", "2", "--repetitions", "2", "--read-timeout-ms", "20000"});
  const pid_t server = wait_for_embedded_server(poolbench, 30s);
  ASSERT_GT(server, 0) << poolbench.err();
  ASSERT_NE(poolbench.wait_for_event("timed ", 60s), "")
      << "poolbench never began its timed rounds\n"
      << poolbench.err();
  const std::string started = poolbench.err();
  kill(server, SIGKILL);

  const auto code = poolbench.wait_exit(60s);
  ASSERT_TRUE(code.has_value()) << "poolbench hung after its server died\n" << poolbench.err();
  EXPECT_EQ(*code, 2) << poolbench.err();
  const std::string err = poolbench.err();
  EXPECT_EQ(sanitizer_report(err), "") << err;
  ASSERT_EQ(err.rfind(started, 0), 0u) << err;
  const std::string rest = without_busy_warnings(err.substr(started.size()));
  EXPECT_EQ(std::count(rest.begin(), rest.end(), '\n'), 1) << err;
  EXPECT_EQ(rest.rfind("poolbench: lost the server http://127.0.0.1:", 0), 0u) << err;
  EXPECT_TRUE(gone_within(server, 10s)) << "embedded server " << server << " still there";
  const auto leftovers = collect_leftovers();
  EXPECT_TRUE(leftovers.empty()) << "left behind: " << ::testing::PrintToString(leftovers);
}

}  // namespace
}  // namespace poolbench::testing
