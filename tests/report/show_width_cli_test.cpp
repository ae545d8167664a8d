// `poolbench-report show` fits the terminal: $COLUMNS, --width, --wide and
// --columns, through the program as a user runs it (stdout not a terminal).

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace {

using poolbench::report::testing::fixture;
using poolbench::report::testing::run_command;
using poolbench::report::testing::shell_quoted;

std::size_t widest_line(const std::string& text) {
  std::size_t widest = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    widest = std::max(widest, line.size());
  return widest;
}

#ifdef POOLBENCH_REPORT_BIN
const std::string show = std::string(POOLBENCH_REPORT_BIN) + " show --group-by batch,delay_ms ";

TEST(ShowWidth, FitsColumnsElse120) {
  const auto base = shell_quoted(fixture("poolbench_base.json"));
  const auto unset = run_command("env -u COLUMNS " + show + base);
  ASSERT_EQ(unset.exit_code, 0) << unset.err;
  EXPECT_LE(widest_line(unset.out), 120u) << unset.out;
  const auto narrow = run_command("env COLUMNS=80 " + show + base);
  EXPECT_LE(widest_line(narrow.out), 80u) << narrow.out;
  EXPECT_NE(narrow.out.find("Left out to fit 80 columns"), std::string::npos);
  const auto flag = run_command("env COLUMNS=80 " + show + "--width 70 " + base);
  EXPECT_LE(widest_line(flag.out), 70u) << flag.out;
}

TEST(ShowWidth, WideAndColumnsShowWhatWasAskedFor) {
  const auto base = shell_quoted(fixture("poolbench_base.json"));
  const auto wide = run_command("env COLUMNS=80 " + show + "--wide " + base);
  ASSERT_EQ(wide.exit_code, 0) << wide.err;
  EXPECT_NE(wide.out.find("Outliers"), std::string::npos);
  EXPECT_EQ(wide.out.find("Left out"), std::string::npos);
  const auto columns = run_command("env COLUMNS=40 " + show + "--columns min,ops,outliers " + base);
  EXPECT_NE(columns.out.find("OPS"), std::string::npos);
  EXPECT_NE(columns.out.find("Outliers"), std::string::npos);
  EXPECT_EQ(columns.out.find("Left out"), std::string::npos);
  EXPECT_EQ(run_command(show + "--width 0 " + base).exit_code, 2);
}
#endif

}  // namespace
