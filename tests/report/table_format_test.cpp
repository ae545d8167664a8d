// Renderers compared with expected text: pytest-benchmark's own table of the
// same file, and our reviewed output for each format (fixtures/expected/).
// Set POOLBENCH_UPDATE_EXPECTED=1 to rewrite our own expected files after a
// deliberate change (never pytest-benchmark's).

#include "test_support.hpp"

#include <poolbench/cli/terminal_width.hpp>
#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/tables/aligned_text.hpp>
#include <poolbench/report/tables/layout.hpp>
#include <poolbench/report/tables/print_table.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;

std::string show(const std::vector<std::string>& files, const report::show_options& options = {}) {
  std::ostringstream out;
  report::print_table(out, report::load_result_files(files), options);
  return out.str();
}

// Output that names files holds the fixture directory of this checkout;
// expected files hold "<fixtures>" instead.
std::string portable(std::string text) {
  const std::string dir = POOLBENCH_REPORT_FIXTURES;
  for (auto at = text.find(dir); at != std::string::npos; at = text.find(dir, at)) {
    text.replace(at, dir.size(), "<fixtures>");
  }
  return text;
}

void expect_matches_file(const std::string& output, const std::string& expected_name) {
  const auto actual = portable(output);
  const auto path = fixture("expected/" + expected_name);
  if (std::getenv("POOLBENCH_UPDATE_EXPECTED") != nullptr)
    report::testing::write_text(path, actual);
  EXPECT_EQ(actual, report::testing::read_text(path)) << "differs from " << path;
}

TEST(TermFormat, SameTextAsPytestBenchmarkForItsOwnFile) {
  report::show_options options;
  options.group_by = {"group"};
  options.wide = true;  // pytest-benchmark's layout: every column, no width limit
  const auto ours = show({fixture("pytest_benchmark.json")}, options);
  const auto pytest = report::testing::read_text(fixture("expected/pytest_benchmark_compare.txt"));
  // Character for character, then our one extra legend line: the caveat.
  ASSERT_GE(ours.size(), pytest.size());
  EXPECT_EQ(ours.substr(0, pytest.size()), pytest);
  EXPECT_EQ(ours.substr(pytest.size()), "  " + std::string(report::closed_loop_caveat()) + "\n");
}

TEST(TermFormat, PoolbenchFile) {
  report::show_options options;
  options.width = 120;
  expect_matches_file(show({fixture("poolbench_base.json")}, options), "poolbench_base.term.txt");
}

TEST(TermFormat, ColourOnlyWhenAsked) {
  report::show_options options;
  EXPECT_EQ(show({fixture("poolbench_base.json")}, options).find('\x1b'), std::string::npos);
  options.colour = true;
  const auto coloured = show({fixture("poolbench_base.json")}, options);
  EXPECT_NE(coloured.find("\x1b[32m\x1b[1m"), std::string::npos);  // best: green, bold
  EXPECT_NE(coloured.find("\x1b[31m\x1b[1m"), std::string::npos);  // worst: red, bold
  EXPECT_NE(coloured.find("\x1b[33m"), std::string::npos);         // rules: yellow
}

TEST(TermFormat, OneBenchmarkHasNoRatios) {
  report::show_options options;
  options.group_by = {"strategy", "mode", "workers"};
  const auto text = show({fixture("poolbench_base.json")}, options);
  EXPECT_NE(text.find("benchmark 'strategy=serial mode=warm workers=1': 1 tests"),
            std::string::npos);
  EXPECT_EQ(text.find("(1.0)"), std::string::npos);
}

TEST(TermFormat, BothLanguagesInOneTable) {
  const auto text = show({fixture("poolbench_base.json"), fixture("pytest_benchmark.json")});
  EXPECT_NE(text.find("benchmark: 8 tests"), std::string::npos);
  EXPECT_NE(text.find("test_sleep"), std::string::npos);
  EXPECT_NE(text.find("async_pool/cold/batch:3/workers:3/delay_ms:0"), std::string::npos);
  // pytest's test_sum_small (~4 us) is the fastest: the unit follows it.
  EXPECT_NE(text.find("Name (time in us)"), std::string::npos);
}

TEST(TermFormat, SameNameInTwoFilesIsDisambiguated) {
  const auto text = show({fixture("poolbench_base.json"), fixture("poolbench_new.json")});
  EXPECT_NE(text.find("serial/warm/batch:3/workers:1/delay_ms:0 (poolbench_base)"),
            std::string::npos);
  EXPECT_NE(text.find("serial/warm/batch:3/workers:1/delay_ms:0 (poolbench_new)"),
            std::string::npos);
}

TEST(TermFormat, UnknownValuesShowAsNotAvailable) {
  const auto text = show({fixture("google_benchmark_aggregates_only.json")});
  EXPECT_NE(text.find("n/a"), std::string::npos);
  EXPECT_NE(text.find("Name (time in ns)"), std::string::npos);
}

TEST(TermFormat, NoBenchmarks) {
  report::testing::temp_dir dir;
  const auto none = (dir.path() / "none.json").string();
  report::testing::write_text(none, R"({"benchmarks": []})");
  EXPECT_EQ(show({none}), "no benchmarks in the given files\n");
}

TEST(TermFormat, SortAndColumns) {
  report::show_options options;
  options.columns = report::parse_columns("mean, ops,rounds");
  options.sort = "name";
  const auto text = show({fixture("poolbench_base.json")}, options);
  EXPECT_LT(text.find("async_pool/"), text.find("process_pool/"));
  EXPECT_LT(text.find("process_pool/"), text.find("serial/"));
  EXPECT_EQ(text.find("StdDev"), std::string::npos);
  EXPECT_NE(text.find("Mean"), std::string::npos);
  // Lowest max first. The order, from the fixture's largest per-repetition
  // "max" counter (ms): async_pool 1.2532 < thread_pool/workers:3 1.4694 <
  // process_pool 1.7094 < serial 3.1336 < thread_pool/workers:1 3.3583,
  // neither the file's order nor the names'.
  options.sort = "max";
  const auto by_max = show({fixture("poolbench_base.json")}, options);
  const std::vector<std::string> expected = {
      "async_pool/cold/batch:3/workers:3/", "thread_pool/warm/batch:3/workers:3/",
      "process_pool/warm/batch:3/workers:3/", "serial/warm/batch:3/workers:1/",
      "thread_pool/warm/batch:3/workers:1/"};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_NE(by_max.find(expected[i]), std::string::npos) << expected[i] << "\n" << by_max;
    if (i > 0) {
      EXPECT_LT(by_max.find(expected[i - 1]), by_max.find(expected[i])) << by_max;
    }
  }
  options.sort = "colour";
  EXPECT_THROW((void)show({fixture("poolbench_base.json")}, options), report::usage_error);
  EXPECT_THROW((void)report::parse_columns("min,speed"), report::usage_error);
}

TEST(MarkdownFormat, GroupedByWorkers) {
  report::show_options options;
  options.format = report::output_format::md;
  options.group_by = {"workers"};
  expect_matches_file(show({fixture("poolbench_base.json")}, options), "poolbench_base.workers.md");
}

TEST(CsvFormat, RawSeconds) {
  report::show_options options;
  options.format = report::output_format::csv;
  const auto text = show({fixture("poolbench_base.json")}, options);
  expect_matches_file(text, "poolbench_base.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "group,name,file,min,max,mean,stddev,median,iqr,outliers,ops,rounds,bottleneck,error");
}

TEST(JsonFormat, GroupsAndNulls) {
  report::show_options options;
  options.format = report::output_format::json;
  options.group_by = {"mode"};
  expect_matches_file(show({fixture("poolbench_base.json")}, options), "poolbench_base.mode.json");
  const auto aggregates = show({fixture("google_benchmark_aggregates_only.json")}, options);
  EXPECT_NE(aggregates.find("\"min\": null"), std::string::npos);
}

std::size_t widest_line(const std::string& text) {
  std::size_t widest = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    widest = std::max(widest, report::columns_of(line));  // columns, not bytes: "±" is one
  return widest;
}

report::show_options grouped_by_workload(std::size_t width) {
  report::show_options options;
  options.group_by = {"batch", "delay_ms", "keepalive"};
  options.width = width;
  return options;
}

// The first table's column headings.
std::string header_of(const std::string& text) {
  const auto start = text.find("Name (");
  return text.substr(start, text.find('\n', start) - start);
}

TEST(TermWidth, LeastImportantColumnsGoFirstUntilTheTableFits) {
  const auto file = fixture("poolbench_base.json");
  const auto all = show({file}, grouped_by_workload(400));
  EXPECT_NE(header_of(all).find("Outliers"), std::string::npos);
  EXPECT_EQ(all.find("Left out"), std::string::npos);
  // 113 characters with Max: Outliers, OPS, IQR go and Max stays.
  const auto fitted = show({file}, grouped_by_workload(115));
  EXPECT_LE(widest_line(fitted), 115u) << fitted;
  EXPECT_EQ(header_of(fitted),
            "Name (time in ms)                  Min            Max           Mean         StdDev   "
            "      Median         Rounds");
  EXPECT_NE(fitted.find("Left out to fit 115 columns: IQR, Outliers, OPS (--wide"),
            std::string::npos);
  // Then Max, StdDev, Rounds, Median; Mean never.
  const auto narrow = show({file}, grouped_by_workload(60));
  EXPECT_LE(widest_line(narrow), 60u) << narrow;
  EXPECT_EQ(header_of(narrow), "Name (time in ms)                  Min           Mean       ");
  const auto tiny = show({file}, grouped_by_workload(20));
  EXPECT_NE(header_of(tiny).find("Mean"), std::string::npos);
}

TEST(TermWidth, WideAndColumnsKeepWhatWasAskedFor) {
  const auto file = fixture("poolbench_base.json");
  auto options = grouped_by_workload(60);
  options.wide = true;
  const auto wide = show({file}, options);
  EXPECT_NE(header_of(wide).find("Outliers"), std::string::npos);
  EXPECT_GT(widest_line(wide), 60u);
  options = grouped_by_workload(60);
  options.columns = report::parse_columns("min,max,outliers,ops");
  options.drop_columns = false;
  EXPECT_EQ(
      header_of(show({file}, options)),
      "Name (time in ms)                  Min            Max         Outliers       OPS       ");
}

TEST(TermWidth, DecimalPointsStayAligned) {
  const auto text = show({fixture("poolbench_base.json")}, grouped_by_workload(100));
  std::istringstream lines(text);
  std::set<std::size_t> points;  // where the first number's decimal point is
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("async_pool", 0) == 0 || line.rfind("thread_pool", 0) == 0 ||
        line.rfind("serial", 0) == 0 || line.rfind("process_pool", 0) == 0)
      points.insert(line.find('.'));
  }
  EXPECT_EQ(points.size(), 1u) << text;
}

// show's width when none is given: the one terminal_width of poolbench::cli,
// with the tables' fallback.
TEST(TermWidth, TerminalWidthFromColumnsElse120) {
  const char* was = std::getenv("COLUMNS");
  const std::string saved = was ? was : "";
  ::setenv("COLUMNS", "97", 1);
  EXPECT_EQ(poolbench::cli::terminal_width(report::fallback_width), 97u);
  ::setenv("COLUMNS", "wide", 1);
  const auto fallback = poolbench::cli::terminal_width(report::fallback_width);
  EXPECT_TRUE(fallback == 120u || ::isatty(STDOUT_FILENO) == 1) << fallback;
  if (was)
    ::setenv("COLUMNS", saved.c_str(), 1);
  else
    ::unsetenv("COLUMNS");
}

#ifdef POOLBENCH_REPORT_BIN
// Through the program as a user runs it (stdout not a terminal).
const std::string show_program =
    std::string(POOLBENCH_REPORT_BIN) + " show --group-by batch,delay_ms ";

TEST(ShowWidth, FitsColumnsElse120) {
  const auto base = report::testing::shell_quoted(fixture("poolbench_base.json"));
  const auto unset = report::testing::run_command("env -u COLUMNS " + show_program + base);
  ASSERT_EQ(unset.exit_code, 0) << unset.err;
  EXPECT_LE(widest_line(unset.out), 120u) << unset.out;
  const auto narrow = report::testing::run_command("env COLUMNS=80 " + show_program + base);
  EXPECT_LE(widest_line(narrow.out), 80u) << narrow.out;
  EXPECT_NE(narrow.out.find("Left out to fit 80 columns"), std::string::npos);
  const auto flag =
      report::testing::run_command("env COLUMNS=80 " + show_program + "--width 70 " + base);
  EXPECT_LE(widest_line(flag.out), 70u) << flag.out;
}

TEST(ShowWidth, WideAndColumnsShowWhatWasAskedFor) {
  const auto base = report::testing::shell_quoted(fixture("poolbench_base.json"));
  const auto wide =
      report::testing::run_command("env COLUMNS=80 " + show_program + "--wide " + base);
  ASSERT_EQ(wide.exit_code, 0) << wide.err;
  EXPECT_NE(wide.out.find("Outliers"), std::string::npos);
  EXPECT_EQ(wide.out.find("Left out"), std::string::npos);
  const auto columns = report::testing::run_command("env COLUMNS=40 " + show_program +
                                                    "--columns min,ops,outliers " + base);
  EXPECT_NE(columns.out.find("OPS"), std::string::npos);
  EXPECT_NE(columns.out.find("Outliers"), std::string::npos);
  EXPECT_EQ(columns.out.find("Left out"), std::string::npos);
  EXPECT_EQ(report::testing::run_command(show_program + "--width 0 " + base).exit_code, 2);
}
#endif

TEST(ShortNames, RowsShowOnlyWhatTheGroupTitleDoesNot) {
  const auto text = show({fixture("poolbench_base.json")}, grouped_by_workload(120));
  EXPECT_NE(text.find("benchmark 'batch=3 delay_ms=0 keepalive=0'"), std::string::npos);
  EXPECT_NE(text.find("\nthread_pool/warm/workers:3 "), std::string::npos) << text;
  EXPECT_EQ(text.find("batch:3"), std::string::npos);
  // Machine-readable formats and Markdown keep the full names.
  auto options = grouped_by_workload(120);
  for (auto format :
       {report::output_format::md, report::output_format::csv, report::output_format::json}) {
    options.format = format;
    EXPECT_NE(show({fixture("poolbench_base.json")}, options)
                  .find("thread_pool/warm/batch:3/workers:3/delay_ms:0"),
              std::string::npos);
  }
  EXPECT_EQ(report::short_name("a/warm/batch:3/workers:1", {{"batch", "3"}, {"workers", "2"}}),
            "a/warm/workers:1");
  EXPECT_EQ(report::short_name("batch:3/x", {{"batch", "3"}}), "batch:3/x");  // first part stays
}

TEST(ShortNames, TwoFilesKeepTheirFileSuffix) {
  const auto text = show({fixture("poolbench_base.json"), fixture("poolbench_new.json")},
                         grouped_by_workload(120));
  EXPECT_NE(text.find("serial/warm/workers:1 (poolbench_base)"), std::string::npos) << text;
  EXPECT_NE(text.find("serial/warm/workers:1 (poolbench_new)"), std::string::npos);
}

TEST(FailedCase, TermRowSaysFailedAndIsLast) {
  const auto text = show({fixture("poolbench_failed.json")}, grouped_by_workload(120));
  expect_matches_file(text, "poolbench_failed.term.txt");
  const auto row = text.find("thread_pool/warm/workers:3 ");
  ASSERT_NE(row, std::string::npos);
  const auto line = text.substr(row, text.find('\n', row) - row);
  EXPECT_NE(line.find("failed: GET /hello/name-2: connection refused retry gave up"),
            std::string::npos)
      << line;
  EXPECT_EQ(line.find("150"), std::string::npos);  // not the surviving repetition's time
  EXPECT_GT(row, text.find("thread_pool/warm/workers:1 "));
  // The narrowest width still says why, cut short.
  const auto narrow = show({fixture("poolbench_failed.json")}, grouped_by_workload(50));
  EXPECT_NE(narrow.find("failed: GET"), std::string::npos);
  EXPECT_LE(widest_line(narrow), 50u) << narrow;
}

TEST(FailedCase, MarkdownCsvAndJson) {
  auto options = grouped_by_workload(120);
  options.format = report::output_format::md;
  const auto md = show({fixture("poolbench_failed.json")}, options);
  EXPECT_NE(md.find("| thread_pool/warm/batch:3/workers:3/delay_ms:0 | **failed: GET "
                    "/hello/name-2: connection refused retry gave up** |  |"),
            std::string::npos)
      << md;
  options.format = report::output_format::csv;
  expect_matches_file(show({fixture("poolbench_failed.json")}, options), "poolbench_failed.csv");
  options.format = report::output_format::json;
  const auto json = show({fixture("poolbench_failed.json")}, options);
  EXPECT_NE(json.find("\"error\": \"GET /hello/name-2: connection refused\\nretry gave up\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"error\": null"), std::string::npos);
}

TEST(Formats, UnknownFormatIsAUsageError) {
  EXPECT_THROW((void)report::parse_output_format("xml"), report::usage_error);
  EXPECT_EQ(report::parse_output_format("markdown"), report::output_format::md);
}

}  // namespace
