#include <poolbench/runner/cpu_affinity.hpp>
#include "server_process.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

TEST(cpu_affinity, parses_lists_and_ranges) {
  EXPECT_EQ(parse_cpu_list("0"), std::vector<int>{0});
  EXPECT_EQ(parse_cpu_list("1,0"), (std::vector<int>{1, 0}));
  EXPECT_EQ(parse_cpu_list("0-1,0"), (std::vector<int>{0, 1}));
  EXPECT_EQ(format_cpu_list({3, 0, 1, 2, 6}), "0-3,6");
  EXPECT_EQ(format_cpu_list({1}), "1");
}

TEST(cpu_affinity, rejects_malformed_lists_and_missing_cpus) {
  for (const char* bad : {"", "a", "1-", "-1", "2-1", "0,,1", "0 ", "100000"})
    EXPECT_THROW((void)parse_cpu_list(bad), std::invalid_argument) << bad;
}

TEST(cpu_affinity, pinned_run_records_its_cpus) {
  const std::string out = ::testing::TempDir() + "pinned.json";
  const auto run = testing::run_program(
      POOLBENCH_PATH,
      {"--strategies", "serial,async_pool", "--modes", "warm", "--names", "a", "--rounds", "2",
       "--repetitions", "1", "--client-cpus", "0", "--server-cpus", "0", "--out", out},
      60s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  EXPECT_EQ(doc["context"]["client_cpus"], "0");
  EXPECT_EQ(doc["context"]["server_cpus"], "0");
}

TEST(cpu_affinity, bad_cpu_flags_exit_2_with_one_line) {
  auto run = testing::run_program(POOLBENCH_PATH, {"--quick", "--client-cpus", "9999"}, 30s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("poolbench: CPU 9999 in '9999' does not exist"), std::string::npos)
      << run.err;
  run = testing::run_program(
      POOLBENCH_PATH, {"--url", "http://127.0.0.1:1/", "--server-cpus", "0", "--quick"}, 30s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("cannot pin --url's server"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace poolbench::runner
