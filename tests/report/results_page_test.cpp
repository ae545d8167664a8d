// The results page and its charts: a reviewed page generated from the
// fixtures (fixtures/expected/page/), the caveat, the SVG content, and
// `render --check` / `plot` through the program.

#include "test_support.hpp"

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/page/results_page.hpp>
#include <poolbench/report/tables/layout.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;
using report::testing::run_command;
using report::testing::shell_quoted;

std::vector<report::generated_file> fixture_page() {
  report::page_options options;
  options.out = fixture("expected/page/README.md");
  return report::build_results_page(
      report::load_result_files({fixture("poolbench_base.json"), fixture("pytest_benchmark.json")}),
      options);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

TEST(ResultsPage, MatchesTheReviewedPage) {
  const auto page = fixture_page();
  if (std::getenv("POOLBENCH_UPDATE_EXPECTED") != nullptr)
    report::write_generated(page);
  EXPECT_TRUE(report::stale_files(page).empty()) << "fixtures/expected/page differs";
  ASSERT_GE(page.size(), 3u);
  const auto& md = page[0].content;
  EXPECT_NE(md.find(report::closed_loop_caveat()), std::string::npos);
  EXPECT_NE(md.find("[`../../poolbench_base.json`](../../poolbench_base.json)"), std::string::npos);
  EXPECT_NE(md.find("### batch=3 delay_ms=0 keepalive=0"), std::string::npos);
  EXPECT_NE(md.find("![Time per round vs workers: batch 3, delay 0 ms](charts/"
                    "workers-batch-3_delay_ms-0.svg)"),
            std::string::npos);
  EXPECT_NE(md.find("| server_kind | embedded |"), std::string::npos);
}

TEST(ResultsPage, ShowsTheCrossMatrixAsASectionWhenGiven) {
  report::page_options options;
  options.out = "results/README.md";
  const auto files = report::load_result_files({fixture("poolbench_base.json")});
  const auto without = report::build_results_page(files, options)[0].content;
  EXPECT_EQ(without.find("cross matrix"), std::string::npos);

  options.cross_matrix_file = "results/cross-matrix.md";
  options.cross_matrix = "# Cross matrix: client language x server\n\n- Command: `x`\n\n| a |\n";
  const auto with = report::build_results_page(files, options)[0].content;
  const auto section = with.find(
      "## Client language x server (cross matrix)\n\n"
      "From [`cross-matrix.md`](cross-matrix.md)");
  ASSERT_NE(section, std::string::npos) << with;
  EXPECT_LT(section, with.find("## How the tables read"));
  EXPECT_NE(with.find("as it was written:\n\n- Command: `x`\n\n| a |\n\n"), std::string::npos);
  EXPECT_EQ(with.find("# Cross matrix: client language"), std::string::npos);  // its title
}

TEST(ResultsPage, SameInputSameBytes) {
  const auto a = fixture_page(), b = fixture_page();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(a[i].content, b[i].content);
}

// The charts themselves: svg_chart_test.cpp.

#ifdef POOLBENCH_REPORT_BIN
TEST(Cli, RenderCheckFreshAndStale) {
  report::testing::temp_dir dir;
  const std::string program = POOLBENCH_REPORT_BIN;
  const auto page = (dir.path() / "results" / "README.md").string();
  const std::string files = shell_quoted(fixture("poolbench_base.json")) + " " +
                            shell_quoted(fixture("pytest_benchmark.json"));
  const std::string check = program + " render --check --out " + shell_quoted(page) + " " + files;
  EXPECT_EQ(run_command(check).exit_code, 1);  // nothing rendered yet
  const auto render = run_command(program + " render --out " + shell_quoted(page) + " " + files);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "results" / "charts" /
                                      "mean-batch-3_delay_ms-0_keepalive-0.svg"));
  EXPECT_EQ(run_command(check).exit_code, 0);
  report::testing::write_text(page, report::testing::read_text(page) + "edited by hand\n");
  const auto stale = run_command(check);
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.err.find("stale"), std::string::npos);
  ASSERT_EQ(run_command(program + " render --out " + shell_quoted(page) + " " + files).exit_code,
            0);
  std::filesystem::remove(dir.path() / "results" / "charts" / "workers-batch-3_delay_ms-0.svg");
  EXPECT_EQ(run_command(check).exit_code, 1);  // a missing chart is stale too
  // Other files, other page: stale.
  ASSERT_EQ(run_command(program + " render --out " + shell_quoted(page) + " " + files).exit_code,
            0);
  const auto other = shell_quoted(fixture("poolbench_new.json"));
  EXPECT_EQ(
      run_command(program + " render --check --out " + shell_quoted(page) + " " + other).exit_code,
      1);
}

TEST(Cli, Plot) {
  report::testing::temp_dir dir;
  const std::string program = POOLBENCH_REPORT_BIN;
  const auto svg = (dir.path() / "chart.svg").string();
  const auto base = shell_quoted(fixture("poolbench_base.json"));
  ASSERT_EQ(run_command(program + " plot --out " + shell_quoted(svg) + " " + base).exit_code, 0);
  // A box per benchmark but serial (with pools to compare it is a reference
  // line, as the floor), and the key's.
  const auto boxes = report::testing::read_text(svg);
  EXPECT_EQ(count(boxes, "<rect x="), 5u);
  EXPECT_NE(boxes.find(">serial/warm/batch:3/workers:1/delay_ms:0 median "), std::string::npos)
      << boxes;
  ASSERT_EQ(run_command(program + " plot --kind workers --out " + shell_quoted(svg) + " " + base)
                .exit_code,
            0);
  // thread_pool/warm at 1 and 3 workers; the others ran at one size only.
  EXPECT_EQ(count(report::testing::read_text(svg), "<polyline"), 1u);
  for (const char* kind : {"cpu", "memory"}) {
    const auto cost =
        run_command(program + " plot --kind " + kind + " --out " + shell_quoted(svg) + " " + base);
    EXPECT_EQ(cost.exit_code, 2) << kind;  // the fixture has no cost counters
    EXPECT_NE(cost.err.find(std::string(kind) + " counter"), std::string::npos) << cost.err;
  }
  const auto none = run_command(program + " plot --kind workers --out " + shell_quoted(svg) + " " +
                                shell_quoted(fixture("google_benchmark_plain.json")));
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("workers"), std::string::npos);
}
#endif

}  // namespace
