// render removes the charts it once wrote and no longer writes (a workload
// family or chart kind gone from the data), only those: a file render could
// not have written, or one outside its charts folder, stays; render --check
// counts such a chart as out of date.

#include "test_support.hpp"

#include <poolbench/report/input/load.hpp>
#include <poolbench/report/page/results_page.hpp>
#include <poolbench/report/page/stale_charts.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace {

namespace fs = std::filesystem;
namespace report = poolbench::report;
using report::testing::fixture;
using report::testing::read_text;
using report::testing::run_command;
using report::testing::shell_quoted;
using report::testing::temp_dir;
using report::testing::write_text;

TEST(StaleCharts, OnlyRendersOwnNamesAreCharts) {
  for (const char* name :
       {"mean-batch-3_delay_ms-0_keepalive-0.svg", "workers-batch-4x-workers.svg",
        "cpu-batch-3_delay_ms-0.svg", "memory-batch-1.5_delay_ms-10.svg",
        "open-loop-workers16_delay_ms10_keepalive1.svg", "mean-all.svg"})
    EXPECT_TRUE(report::is_render_chart_name(name)) << name;
  for (const char* name :
       {"notes.txt", "diagram.svg", "mean-.svg", "mean-batch 3.svg", "mean-batch-3.svg.bak",
        "mean-batch-3.png", "Mean-batch-3.svg", "latency-batch-3.svg", ".svg"})
    EXPECT_FALSE(report::is_render_chart_name(name)) << name;
}

TEST(StaleCharts, OrphansAreChartNamesThisRenderDidNotWrite) {
  temp_dir dir;
  report::page_options options;
  options.out = dir.path() / "README.md";
  const auto page = report::build_results_page(
      report::load_result_files({fixture("poolbench_base.json")}), options);
  report::write_generated(page);
  // Every chart render writes has a name it owns (a new chart kind with a
  // new prefix must be added to stale_charts.cpp).
  ASSERT_GE(page.size(), 3u);
  for (std::size_t i = 1; i < page.size(); ++i)
    EXPECT_TRUE(report::is_render_chart_name(page[i].path.filename().string())) << page[i].path;
  EXPECT_TRUE(report::orphaned_charts(page, options).empty());
  const auto charts = dir.path() / "charts";
  write_text(charts / "mean-batch-999_delay_ms-0_keepalive-0.svg", "<svg/>");
  write_text(charts / "notes.txt", "mine");
  const auto orphans = report::orphaned_charts(page, options);
  ASSERT_EQ(orphans.size(), 1u);
  EXPECT_EQ(orphans[0].filename(), "mean-batch-999_delay_ms-0_keepalive-0.svg");
}

TEST(CliRender, RemovesStaleChartsOfItsOwnAndKeepsForeignFiles) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const auto render = report::testing::report_program + " render --out " +
                      shell_quoted((dir.path() / "README.md").string()) + " ";
  const auto input = shell_quoted(fixture("poolbench_base.json"));
  ASSERT_EQ(run_command(render + input).exit_code, 0);
  ASSERT_EQ(run_command(render + "--check " + input).exit_code, 0);

  const auto charts = dir.path() / "charts";
  ASSERT_TRUE(fs::is_directory(charts));
  // Names render generates, for data no longer there.
  const std::vector<fs::path> stale = {charts / "mean-batch-999_delay_ms-0_keepalive-0.svg",
                                       charts / "cpu-batch-999_delay_ms-0.svg",
                                       charts / "open-loop-workers3_delay_ms0_keepalive0.svg"};
  // Names render never produces, or places it does not own.
  const std::vector<fs::path> foreign = {charts / "notes.txt", charts / "diagram.svg",
                                         charts / "mean-batch 3.svg",
                                         dir.path() / "mean-batch-999_delay_ms-0_keepalive-0.svg"};
  for (const auto& p : stale)
    write_text(p, "<svg>stale</svg>\n");
  for (const auto& p : foreign)
    write_text(p, "keep me\n");
  fs::create_directory(charts / "mean-folder.svg");  // a folder is never removed

  const auto check = run_command(render + "--check " + input);
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  for (const auto& p : stale)
    EXPECT_NE(check.err.find(p.filename().string()), std::string::npos) << check.err;
  EXPECT_EQ(check.err.find("notes.txt"), std::string::npos) << check.err;
  EXPECT_TRUE(fs::exists(stale[0]));  // --check writes and removes nothing

  const auto r = run_command(render + input);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("removed 3 stale chart(s)"), std::string::npos) << r.err;
  for (const auto& p : stale)
    EXPECT_FALSE(fs::exists(p)) << p;
  for (const auto& p : foreign)
    EXPECT_EQ(read_text(p), "keep me\n") << p;
  EXPECT_TRUE(fs::is_directory(charts / "mean-folder.svg"));
  // The charts the page links are still there, and the page is up to date.
  EXPECT_TRUE(fs::exists(charts / "mean-batch-3_delay_ms-0_keepalive-0.svg"));
  EXPECT_EQ(run_command(render + "--check " + input).exit_code, 0);
}

}  // namespace
