// The gate on real runs (fixtures/make_gate_fixtures.sh): two runs of the
// same build against the same server give no `slower` at --fail-above 5%;
// the same workload against the article's slower tornado server is flagged
// `slower` on every benchmark, with exit code 1.

#include "test_support.hpp"

#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/input/load.hpp>

#include <gtest/gtest.h>

namespace {

namespace report = poolbench::report;
using report::verdict;
using report::testing::fixture;
using report::testing::run_command;
using report::testing::shell_quoted;

TEST(Gate, AAGivesNoSlowerVerdict) {
  const auto a1 = report::load_result_file(fixture("gate_a1.json"));
  const auto a2 = report::load_result_file(fixture("gate_a2.json"));
  for (const auto& [old_file, new_file] : {std::pair{&a1, &a2}, std::pair{&a2, &a1}}) {
    const auto r = report::compare_results(*old_file, *new_file);
    ASSERT_EQ(r.common.size(), 3u);
    EXPECT_EQ(r.counts()[verdict::slower], 0u);
    EXPECT_EQ(r.counts()[verdict::failed], 0u);
    EXPECT_FALSE(r.gate_fails());
    for (const auto& c : r.common)
      EXPECT_EQ(c.estimate.base_values, 9u) << c.name;
  }
}

TEST(Gate, ASlowerServerIsFlaggedOnEveryBenchmark) {
  const auto a1 = report::load_result_file(fixture("gate_a1.json"));
  const auto b = report::load_result_file(fixture("gate_b_tornado.json"));
  const auto r = report::compare_results(a1, b);
  ASSERT_EQ(r.common.size(), 3u);
  for (const auto& c : r.common) {
    EXPECT_EQ(c.result, verdict::slower) << c.name << " " << report::ratio_text(c.estimate);
    EXPECT_LT(*c.corrected_p, 0.05) << c.name;
  }
  EXPECT_TRUE(r.gate_fails());
  const auto back = report::compare_results(b, a1);
  EXPECT_EQ(back.counts()[verdict::faster], 3u);
  EXPECT_FALSE(back.gate_fails());
}

#ifdef POOLBENCH_REPORT_BIN
TEST(Cli, CompareGateOnRealRuns) {
  const std::string program = POOLBENCH_REPORT_BIN;
  const auto a1 = shell_quoted(fixture("gate_a1.json"));
  const auto a2 = shell_quoted(fixture("gate_a2.json"));
  const auto b = shell_quoted(fixture("gate_b_tornado.json"));
  const auto same = run_command(program + " compare --fail-above 5% " + a1 + " " + a2);
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("Verdicts: 0 slower"), std::string::npos) << same.out;
  const auto slower = run_command(program + " compare --fail-above 5% " + a1 + " " + b);
  EXPECT_EQ(slower.exit_code, 1) << slower.out;
  EXPECT_NE(slower.out.find("Verdicts: 3 slower"), std::string::npos) << slower.out;
  EXPECT_NE(slower.err.find("regression: serial/warm/batch:3/workers:1/delay_ms:0"),
            std::string::npos)
      << slower.err;
  EXPECT_EQ(run_command(program + " compare " + b + " " + a1).exit_code, 0);
}
#endif

}  // namespace
