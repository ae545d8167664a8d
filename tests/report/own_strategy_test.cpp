// A result file from a program with a strategy of its own (run_main): its
// cases carry a name poolbench-report was never told of (my_pool), and
// show, compare, render and plot read it like any other.

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace {

using poolbench::report::testing::fixture;
using poolbench::report::testing::read_text;
using poolbench::report::testing::run_command;
using poolbench::report::testing::shell_quoted;
using poolbench::report::testing::temp_dir;

// Names of their own: a unity build puts this file beside cli_results_test.cpp.
const std::string& own_strategy_report = poolbench::report::testing::report_program;

std::string quoted_fixture(const std::string& name) {
  return shell_quoted(fixture(name));
}

// The workloads of my_pool in a fixture, as the tables print their names.
std::set<std::string> own_cases(const std::string& name) {
  std::set<std::string> out;
  const auto j = nlohmann::json::parse(read_text(fixture(name)));
  for (const auto& b : j.at("benchmarks")) {
    if (b.at("run_type") == "iteration" && b.at("name").get<std::string>().starts_with("my_pool/"))
      out.insert(b.at("name").get<std::string>());
  }
  return out;
}

TEST(OwnStrategy, ShowListsItsCases) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const auto cases = own_cases("own_strategy_base.json");
  ASSERT_FALSE(cases.empty()) << "the fixture has no my_pool case: the test proves nothing";
  const auto r =
      run_command(own_strategy_report + " show " + quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  for (const auto& name : cases)
    EXPECT_NE(r.out.find(name), std::string::npos) << name << " is not in\n" << r.out;
}

TEST(OwnStrategy, ItsNameIsReadAsAWorkloadNotAForeignBenchmark) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  // Grouping by strategy needs the name parsed into a workload: another
  // program's benchmark (BM_x/8) has no strategy to group by.
  const auto r = run_command(own_strategy_report + " show --group-by strategy " +
                             quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("benchmark 'strategy=my_pool'"), std::string::npos) << r.out;
}

TEST(OwnStrategy, CompareDecidesOnItsCasesAsOnAnyOther) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  // The same files with async_pool in place of my_pool: the same verdict.
  const auto own =
      run_command(own_strategy_report + " compare " + quoted_fixture("own_strategy_base.json") +
                  " " + quoted_fixture("own_strategy_new.json"));
  const auto built_in =
      run_command(own_strategy_report + " compare " + quoted_fixture("poolbench_base.json") + " " +
                  quoted_fixture("poolbench_new.json"));
  EXPECT_EQ(own.exit_code, built_in.exit_code) << own.err;
  EXPECT_LT(own.exit_code, 2) << own.err;
  EXPECT_NE(own.out.find("my_pool/cold/batch:3/workers:3/delay_ms:0"), std::string::npos)
      << own.out;
  EXPECT_EQ(own.out.find("async_pool"), std::string::npos) << own.out;
}

TEST(OwnStrategy, RenderAndPlotDrawIt) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const auto page = (dir.path() / "README.md").string();
  const auto render = run_command(own_strategy_report + " render --out " + shell_quoted(page) +
                                  " " + quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_NE(read_text(page).find("my_pool"), std::string::npos);
  const auto svg = (dir.path() / "own.svg").string();
  const auto plot = run_command(own_strategy_report + " plot --out " + shell_quoted(svg) + " " +
                                quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(plot.exit_code, 0) << plot.err;
  EXPECT_NE(read_text(svg).find("my_pool"), std::string::npos);
}

}  // namespace
