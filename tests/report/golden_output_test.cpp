// The program's output, byte for byte: `show`, `compare` and `plot` on the
// checked-in fixtures against reviewed output (fixtures/expected/golden/,
// made by the program before the report was reorganised, so a refactoring
// that changes a byte fails here), and `render --check` on the published
// result files against the published page, charts and README block, as
// scripts/render-results --check runs it. Set POOLBENCH_UPDATE_EXPECTED=1
// to rewrite the golden files after a deliberate change.

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace {

namespace report = poolbench::report;
using report::testing::run_command;

const std::string fixtures = POOLBENCH_REPORT_FIXTURES;

// Runs the program in the fixture directory (so the files it names are
// relative, as in the golden files) with no terminal width: stdout, then
// "exit N".
std::string output_of(const std::string& arguments) {
  const auto r = run_command("env -C " + fixtures + " -u COLUMNS " +
                             report::testing::report_program + " " + arguments);
  return r.out + "exit " + std::to_string(r.exit_code) + "\n";
}

void expect_golden(const std::string& actual, const std::string& name) {
  const auto path = fixtures + "/expected/golden/" + name;
  if (std::getenv("POOLBENCH_UPDATE_EXPECTED") != nullptr)
    report::testing::write_text(path, actual);
  EXPECT_EQ(actual, report::testing::read_text(path)) << "differs from " << path;
}

TEST(GoldenOutput, Show) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  expect_golden(output_of("show --colour never --width 120 poolbench_base.json open_loop.json "
                          "pytest_benchmark.json"),
                "show.txt");
  expect_golden(output_of("show --colour never --wide poolbench_base.json"), "show_wide.txt");
  expect_golden(output_of("show --format md poolbench_base.json poolbench_new.json"), "show.md");
  expect_golden(output_of("show --format csv poolbench_base.json open_loop.json"), "show.csv");
  expect_golden(output_of("show --format json poolbench_base.json open_loop.json"), "show.json");
}

// What the shorter goldens above leave out: colour and failures, costs
// and open-loop runs cut to narrow widths (columns dropped, legends
// wrapped), cost tables beside open-loop ones in Markdown, and unknown
// statistics in the machine formats.
TEST(GoldenOutput, ShowNarrowColourCostsOpenLoopAndUnknowns) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  expect_golden(output_of("show --colour always --width 80 poolbench_failed.json"),
                "show_colour_failed.txt");
  expect_golden(output_of("show --colour never --width 60 cost_base.json cost_new.json"),
                "show_narrow_costs.txt");
  expect_golden(output_of("show --format md cost_base.json cost_new.json open_loop.json"),
                "show_costs_open_loop.md");
  expect_golden(output_of("show --colour never --width 70 open_loop.json open_loop_slower.json"),
                "show_narrow_open_loop.txt");
  // A file of aggregates only: unknown statistics are empty in csv, null in json.
  expect_golden(output_of("show --format csv google_benchmark_aggregates_only.json"),
                "show_aggregates.csv");
  expect_golden(output_of("show --format json google_benchmark_aggregates_only.json"),
                "show_aggregates.json");
}

TEST(GoldenOutput, Compare) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  expect_golden(output_of("compare poolbench_base.json poolbench_new.json"), "compare.txt");
  expect_golden(output_of("compare --metric cpu cost_base.json cost_new.json"), "compare_cpu.txt");
  expect_golden(output_of("compare open_loop.json open_loop_slower.json"), "compare_open_loop.txt");
  // The CI gate's account, and a strategy another program registered.
  expect_golden(output_of("compare --fail-above 5% gate_a1.json gate_a2.json"), "compare_gate.txt");
  expect_golden(output_of("compare own_strategy_base.json own_strategy_new.json"),
                "compare_own_strategy.txt");
}

TEST(GoldenOutput, Plot) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  report::testing::temp_dir dir;
  for (const std::string kind : {"mean", "workers"}) {
    const auto svg = (dir.path() / (kind + ".svg")).string();
    ASSERT_EQ(output_of("plot --kind " + kind + " --out " + svg + " poolbench_base.json"),
              "exit 0\n");
    expect_golden(report::testing::read_text(svg), "plot_" + kind + ".svg");
  }
  // An open-loop file: latency against offered rate.
  const auto svg = (dir.path() / "open_loop.svg").string();
  ASSERT_EQ(output_of("plot --out " + svg + " open_loop.json"), "exit 0\n");
  expect_golden(report::testing::read_text(svg), "plot_open_loop.svg");
}

// The published page is what the published files give (the page, every
// chart and the README's answer block), by scripts/render-results itself:
// its files and flags, checked instead of written.
TEST(GoldenOutput, PublishedPageMatchesThePublishedFiles) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const std::string root = POOLBENCH_SOURCE_DIR;
  const auto check =
      run_command("env -C " + root + " POOLBENCH_REPORT=" + report::testing::report_program +
                  " scripts/render-results --check");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

}  // namespace
