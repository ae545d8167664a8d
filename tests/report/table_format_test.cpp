// Renderers compared with expected text: pytest-benchmark's own table of the
// same file, and our reviewed output for each format (fixtures/expected/).
// Set POOLBENCH_UPDATE_EXPECTED=1 to rewrite our own expected files after a
// deliberate change (never pytest-benchmark's).

#include "test_support.hpp"

#include <poolbench/report/errors.hpp>
#include <poolbench/report/layout.hpp>
#include <poolbench/report/print_table.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;

std::string show(const std::vector<std::string>& files, const report::show_options& options = {}) {
  std::ostringstream out;
  report::print_table(out, files, options);
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
  const auto ours = show({fixture("pytest_benchmark.json")}, options);
  const auto pytest = report::testing::read_text(fixture("expected/pytest_benchmark_compare.txt"));
  // Character for character, then our one extra legend line: the caveat.
  ASSERT_GE(ours.size(), pytest.size());
  EXPECT_EQ(ours.substr(0, pytest.size()), pytest);
  EXPECT_EQ(ours.substr(pytest.size()), "  " + std::string(report::closed_loop_caveat()) + "\n");
}

TEST(TermFormat, PoolbenchFile) {
  expect_matches_file(show({fixture("poolbench_base.json")}), "poolbench_base.term.txt");
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
  options.sort = "max";
  EXPECT_NO_THROW((void)show({fixture("poolbench_base.json")}, options));
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
            "group,name,file,min,max,mean,stddev,median,iqr,outliers,ops,rounds");
}

TEST(JsonFormat, GroupsAndNulls) {
  report::show_options options;
  options.format = report::output_format::json;
  options.group_by = {"mode"};
  expect_matches_file(show({fixture("poolbench_base.json")}, options), "poolbench_base.mode.json");
  const auto aggregates = show({fixture("google_benchmark_aggregates_only.json")}, options);
  EXPECT_NE(aggregates.find("\"min\": null"), std::string::npos);
}

TEST(Formats, UnknownFormatIsAUsageError) {
  EXPECT_THROW((void)report::parse_output_format("xml"), report::usage_error);
  EXPECT_EQ(report::parse_output_format("markdown"), report::output_format::md);
}

}  // namespace
