// Integration: scripts/reference/run (the article's tornado server and
// pytest-benchmark tests, checking its three names and bodies every round)
// writes pytest-benchmark JSON that sits in one table with poolbench's.

#include "test_support.hpp"

#include <poolbench/report/load.hpp>
#include <poolbench/report/print_table.hpp>

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;
using report::testing::run_command;
using report::testing::shell_quoted;

TEST(PythonReference, RunsAndLoadsBesidePoolbenchResults) {
  if (run_command("/usr/bin/python3 -c 'import tornado, pytest_benchmark'").exit_code != 0) {
    GTEST_SKIP() << "python3-tornado or python3-pytest-benchmark is missing: run scripts/setup";
  }
  report::testing::temp_dir dir;
  const auto out = (dir.path() / "python-reference.json").string();
  const auto run = run_command(
      std::string(POOLBENCH_SOURCE_DIR) + "/scripts/reference/run " + shell_quoted(out), 150);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("13 passed"), std::string::npos) << run.out;

  const auto file = report::load_result_file(out);
  EXPECT_EQ(file.format, report::source_format::pytest_benchmark);
  std::set<std::string> names;
  for (const auto& b : file.benchmarks) {
    names.insert(b.name);
    EXPECT_GE(b.stats.rounds, 20u) << b.name;
    EXPECT_GT(b.stats.mean, 0) << b.name;
    EXPECT_EQ(b.params.at("batch"), "3");
  }
  EXPECT_EQ(names, (std::set<std::string>{"test_a", "test_t", "test_p", "test_a_warm",
                                          "test_t_cold", "test_p_cold", "test_serial"}));

  std::ostringstream table;
  report::print_table(table, {fixture("poolbench_base.json"), out});
  EXPECT_NE(table.str().find("benchmark: 12 tests"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("(1.0)"), std::string::npos);
}

}  // namespace
