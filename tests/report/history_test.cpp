// The history page: a reviewed Markdown page and SVG charts
// (fixtures/expected/history/) from three real runs in order - A, A again,
// then B against the slower tornado server - where the third point of every
// benchmark is a regression; and `history` through the program.

#include "test_support.hpp"

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/compare/history.hpp>
#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;
using report::testing::run_command;
using report::testing::shell_quoted;

std::vector<report::result_file> three_runs() {
  return report::load_result_files(
      {fixture("gate_a1.json"), fixture("gate_a2.json"), fixture("gate_b_tornado.json")});
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

TEST(History, MatchesTheReviewedPageAndCharts) {
  report::history_options options;
  options.out_dir = fixture("expected/history");
  const auto page = report::build_history_page(three_runs(), options);
  if (std::getenv("POOLBENCH_UPDATE_EXPECTED") != nullptr)
    report::write_generated(page);
  EXPECT_TRUE(report::stale_files(page).empty()) << "fixtures/expected/history differs";
  // The default set: the article's workload, warm - serial, thread_pool,
  // async_pool - one chart each.
  ASSERT_EQ(page.size(), 4u);
  const auto& md = page[0].content;
  EXPECT_NE(md.find("| 3 | gate_b_tornado.json | `../../gate_b_tornado.json` |"), std::string::npos)
      << md;
  EXPECT_EQ(count(md, "**slower** (regression)"), 3u);
  EXPECT_EQ(count(md, "1 regression(s)."), 3u);
  EXPECT_NE(md.find("![serial/warm/batch:3/workers:1/delay_ms:0](charts/"
                    "serial_warm_batch-3_workers-1_delay_ms-0.svg)"),
            std::string::npos);
  for (std::size_t i = 1; i < page.size(); ++i) {
    const auto& svg = page[i].content;
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_EQ(count(svg, "<circle"), 3u);  // one mean per file
    EXPECT_EQ(count(svg, "class=\"regression\""), 1u);
    EXPECT_EQ(count(svg, "class=\"interval\""), 3u);
    EXPECT_EQ(count(svg, "<polyline"), 1u);
  }
}

TEST(History, PointsVerdictsAndGaps) {
  auto files = three_runs();
  // The middle file lost a benchmark and another failed: a gap, not a point.
  files[1].benchmarks.erase(files[1].benchmarks.begin());
  files[1].benchmarks[0].error = "HTTP 500 for romeo";
  const auto h = report::build_history(files, "^(serial|thread_pool)/");
  ASSERT_EQ(h.size(), 2u);
  const auto& serial = h[0].points;
  ASSERT_EQ(serial.size(), 3u);
  EXPECT_TRUE(serial[0].present);
  EXPECT_TRUE(serial[0].mean_interval.has_value());
  EXPECT_FALSE(serial[0].vs_previous.has_value());
  EXPECT_FALSE(serial[1].present);
  EXPECT_FALSE(serial[2].vs_previous.has_value());  // nothing to compare against
  const auto& threads = h[1].points;
  EXPECT_EQ(threads[1].error, "HTTP 500 for romeo");
  EXPECT_EQ(threads[1].vs_previous, report::verdict::failed);
  EXPECT_EQ(threads[2].vs_previous, report::verdict::failed);
  EXPECT_THROW((void)report::build_history(files, "("), report::usage_error);
  EXPECT_THROW((void)report::build_history(files, "^nothing$"), report::usage_error);
}

TEST(TrendChart, GapsBreakTheLineAndTextIsEscaped) {
  std::vector<report::trend_point> points(4);
  for (std::size_t i = 0; i < points.size(); ++i)
    points[i].label = std::to_string(i);
  points[0].value = 1e-3;
  points[0].band = report::interval{0.9e-3, 1.1e-3};
  points[1].value = 1.1e-3;
  points[3].value = 2e-3;  // points[2] absent: a gap
  points[3].marked = true;
  const auto svg = report::trend_chart(points, "a <b> & c");
  EXPECT_EQ(count(svg, "<polyline"), 1u);  // 0-1 joined; 3 stands alone
  EXPECT_EQ(count(svg, "<circle"), 3u);
  EXPECT_EQ(count(svg, "class=\"interval\""), 1u);
  EXPECT_EQ(count(svg, "class=\"regression\""), 1u);
  EXPECT_NE(svg.find("a &lt;b&gt; &amp; c"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(report::trend_chart(points, "t"), report::trend_chart(points, "t"));
}

#ifdef POOLBENCH_REPORT_BIN
TEST(Cli, History) {
  report::testing::temp_dir dir;
  const std::string program = POOLBENCH_REPORT_BIN;
  const auto files =
      shell_quoted(fixture("gate_a1.json")) + " " + shell_quoted(fixture("gate_b_tornado.json"));
  const auto out = (dir.path() / "trend").string();
  const auto r = run_command(program + " history --out " + shell_quoted(out) +
                             " --benchmark async_pool " + files);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto md = report::testing::read_text(dir.path() / "trend" / "README.md");
  EXPECT_NE(md.find("## async_pool/warm/batch:3/workers:3/delay_ms:0"), std::string::npos);
  EXPECT_EQ(md.find("## serial"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "trend" / "charts" /
                                      "async_pool_warm_batch-3_workers-3_delay_ms-0.svg"));
  const auto bad =
      run_command(program + " history --out " + shell_quoted(out) + " --benchmark '(' " + files);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("regular expression"), std::string::npos);
  EXPECT_EQ(run_command(program + " history --out " + shell_quoted(out)).exit_code, 2);
}
#endif

}  // namespace
