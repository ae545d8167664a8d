// What poolbench prints when a run is over fits the terminal: piped, with
// COLUMNS unset, every line is within 120 columns (tables, the busy line,
// the computed sentences and the claim tables), and a narrower COLUMNS is
// honoured too.

#include "server_process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

// UTF-8 characters, not bytes: "±" and "µ" take one column.
std::size_t columns_of(const std::string& line) {
  std::size_t n = 0;
  for (const char c : line)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string widest_line(const std::string& text) {
  std::string widest;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (columns_of(line) > columns_of(widest))
      widest = line;
  }
  return widest;
}

// Two pools on one tiny workload, so the run has a claim to print.
const std::vector<std::string> tiny = {"--batch",       "4",
                                       "--workers",     "2",
                                       "--rounds",      "2",
                                       "--repetitions", "3",
                                       "--strategies",  "thread_pool,async_pool",
                                       "--allow-busy"};

TEST(end_of_run, every_line_fits_120_columns_when_the_width_is_unknown) {
  ::unsetenv("COLUMNS");
  const auto run = testing::run_program(POOLBENCH_PATH, tiny, 240s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("What the results say"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("ratio [CI]"), std::string::npos) << run.out;  // the claim rows
  const auto widest = widest_line(run.out);
  EXPECT_LE(columns_of(widest), 120u) << widest;
}

TEST(end_of_run, a_narrow_terminal_gets_narrow_lines) {
  ::setenv("COLUMNS", "80", 1);
  const auto run = testing::run_program(POOLBENCH_PATH, tiny, 240s);
  ::unsetenv("COLUMNS");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto widest = widest_line(run.out);
  EXPECT_LE(columns_of(widest), 80u) << widest;
}

}  // namespace
}  // namespace poolbench::runner
