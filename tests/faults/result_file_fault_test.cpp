// Fault: poolbench interrupted (SIGINT) or crashing (SIGABRT, as a failed
// check inside Google Benchmark would) while it writes a result file. The
// file that was there before must be left exactly as it was, and no scratch
// file may be left beside it: result files are written atomically.

#include "fault_support.hpp"

#include <signal.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace poolbench::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class fatal_signal_mid_run : public ::testing::TestWithParam<int> {};

TEST_P(fatal_signal_mid_run, leaves_the_previous_result_file_untouched) {
  become_subreaper();
  const int sig = GetParam();
  const fs::path dir = fs::path(::testing::TempDir()) / ("atomic_" + std::to_string(sig));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path previous = dir / "latest.json";
  const std::string before = "{\"the\": \"previous results\"}\n";
  std::ofstream(previous) << before;

  // Long enough to be caught mid-run: 200 ms per request, many rounds.
  running_program poolbench(POOLBENCH_PATH,
                            {"--strategies", "serial", "--names", "romeo", "--delay-ms", "200",
                             "--rounds", "100", "--repetitions", "2", "--out", previous.string()});
  const pid_t server = wait_for_embedded_server(poolbench, 30s);
  ASSERT_GT(server, 0) << poolbench.err();
  // Into the timed rounds (poolbench's testing event): the run is under way
  // and its result file, if it were written as it goes, would be open.
  ASSERT_NE(poolbench.wait_for_event("timed ", 60s), "")
      << "poolbench never began its timed rounds\n"
      << poolbench.err();
  poolbench.signal(sig);
  const auto code = poolbench.wait_exit(30s);
  ASSERT_TRUE(code.has_value()) << "poolbench did not stop\n" << poolbench.err();
  EXPECT_EQ(*code, 128 + sig) << poolbench.err();

  EXPECT_EQ(read_all(previous), before);
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(dir))
    left.push_back(entry.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"latest.json"}) << "scratch files left behind";
  EXPECT_TRUE(gone_within(server, 10s)) << "embedded server survived";
  for (const auto& l : collect_leftovers())
    EXPECT_NE(l.find(" (Z)"), std::string::npos) << "still running: " << l;
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(interrupt_and_crash, fatal_signal_mid_run,
                         ::testing::Values(SIGINT, SIGABRT),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == SIGINT ? std::string("sigint")
                                                       : std::string("sigabrt");
                         });

}  // namespace
}  // namespace poolbench::testing
