// poolbench-report on the inputs a gate must not pass and on open-loop
// files, through the real program: exit codes (0 ok, 1 failed check, 2 bad
// usage or input), the one line that says why, and each input read once.

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace {

using poolbench::report::testing::fixture;
using poolbench::report::testing::line_count;
using poolbench::report::testing::read_text;
using poolbench::report::testing::run_command;
using poolbench::report::testing::shell_quoted;
using poolbench::report::testing::temp_dir;
using poolbench::report::testing::write_text;

const std::string& program = poolbench::report::testing::report_program;

std::string q(const std::string& name) {
  return shell_quoted(fixture(name));
}

TEST(CliInputs, AnEmptyBenchmarksListIsBadInputForEverySubcommand) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const auto empty = (dir.path() / "empty-run.json").string();
  write_text(empty, R"({"context": {"date": "today"}, "benchmarks": []})");
  const auto e = shell_quoted(empty);
  const std::vector<std::string> commands = {
      "show " + e,
      "compare " + q("poolbench_base.json") + " " + e,
      "compare " + e + " " + q("poolbench_base.json"),
      "render --out " + shell_quoted((dir.path() / "README.md").string()) + " " + e,
      "plot --out " + shell_quoted((dir.path() / "a.svg").string()) + " " + e,
      "history --out " + shell_quoted((dir.path() / "history").string()) + " " + e};
  for (const auto& command : commands) {
    const auto r = run_command(program + " " + command);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_EQ(r.err,
              "poolbench-report: " + empty + ": no benchmarks: the \"benchmarks\" list is empty\n");
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "README.md"));
}

TEST(CliInputs, CompareWithNothingInCommonFailsWithTheReason) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const auto r = run_command(program + " compare " + q("poolbench_base.json") + " " +
                             q("google_benchmark_plain.json"));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("No benchmark is present in both files."), std::string::npos);
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("poolbench-report: nothing compared: no benchmark name is in both files"),
            std::string::npos)
      << r.err;
}

TEST(CliInputs, CompareSaysWhyNoVerdictIsPossible) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  // 3 repetitions a side: the exact U test's smallest two-sided p is 0.1.
  const auto few =
      run_command(program + " compare " + q("poolbench_base.json") + " " + q("poolbench_new.json"));
  EXPECT_EQ(few.exit_code, 0) << few.err;
  EXPECT_NE(few.out.find("No verdict possible for 2 benchmarks: 3 and 3 repetitions: the exact U "
                         "test's smallest p is 0.1"),
            std::string::npos)
      << few.out;
  EXPECT_NE(few.out.find("5+ repetitions a side needed"), std::string::npos) << few.out;
  // Aggregates only: no repetition values at all.
  const auto aggregates =
      run_command(program + " compare " + q("google_benchmark_aggregates_only.json") + " " +
                  q("google_benchmark_aggregates_only.json"));
  EXPECT_NE(aggregates.out.find("only aggregates in the old file "
                                "(--benchmark_report_aggregates_only): no repetition values"),
            std::string::npos)
      << aggregates.out;
  // 9 repetitions (the gate fixtures): a verdict is possible, so no excuse.
  const auto enough =
      run_command(program + " compare " + q("gate_a1.json") + " " + q("gate_a2.json"));
  EXPECT_EQ(enough.out.find("No verdict possible"), std::string::npos) << enough.out;
}

TEST(CliOpenLoop, CompareIsOnLatencyPercentilesAndAchievedRate) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const auto same =
      run_command(program + " compare " + q("open_loop.json") + " " + q("open_loop.json"));
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("p99 old -> new"), std::string::npos) << same.out;
  EXPECT_NE(same.out.find("Verdicts: 0 slower, 0 faster, 9 same"), std::string::npos) << same.out;
  EXPECT_EQ(same.out.find("New/Old [95% CI]"), std::string::npos) << "wall time compared";
  // thread_pool at 300 req/s 1.5x slower in every percentile.
  const auto slower =
      run_command(program + " compare " + q("open_loop.json") + " " + q("open_loop_slower.json"));
  EXPECT_EQ(slower.exit_code, 1) << slower.out;
  EXPECT_NE(slower.out.find("10.98 -> 16.48 ms"), std::string::npos) << slower.out;
  EXPECT_NE(slower.out.find("Verdicts: 1 slower, 0 faster, 8 same"), std::string::npos)
      << slower.out;
  EXPECT_NE(slower.err.find("latency regression: thread_pool/warm/open/rate:300/workers:4/"
                            "delay_ms:10/keepalive:1 p99 new/old 1.5"),
            std::string::npos)
      << slower.err;
  const auto faster =
      run_command(program + " compare " + q("open_loop_slower.json") + " " + q("open_loop.json"));
  EXPECT_EQ(faster.exit_code, 0) << faster.err;
  EXPECT_NE(faster.out.find("Verdicts: 0 slower, 1 faster, 8 same"), std::string::npos)
      << faster.out;
}

TEST(CliOpenLoop, PlotDrawsLatencyAgainstOfferedRateOrRefuses) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const auto svg = (dir.path() / "open.svg").string();
  const auto ok =
      run_command(program + " plot --out " + shell_quoted(svg) + " " + q("open_loop.json"));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const auto chart = read_text(svg);
  EXPECT_NE(chart.find("offered rate (req/s)"), std::string::npos);
  EXPECT_EQ(chart.find("Time per round"), std::string::npos);
  const auto mixed = run_command(program + " plot --out " + shell_quoted(svg) + " " +
                                 q("open_loop.json") + " " + q("poolbench_base.json"));
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_NE(mixed.err.find("open-loop and closed-loop files cannot share a chart"),
            std::string::npos)
      << mixed.err;
  const auto workers = run_command(program + " plot --kind workers --out " + shell_quoted(svg) +
                                   " " + q("open_loop.json"));
  EXPECT_EQ(workers.exit_code, 2);
  EXPECT_NE(workers.err.find("--kind workers has no meaning for open-loop runs"), std::string::npos)
      << workers.err;
}

TEST(CliOpenLoop, ShowPrintsTheLatencyTableNotWallTimes) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const auto r = run_command("env COLUMNS=120 " + program + " show " + q("open_loop.json"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("open loop: workers:4 delay_ms:10 keepalive:1"), std::string::npos);
  EXPECT_EQ(r.out.find("Name (time in"), std::string::npos) << "a wall-time table: " << r.out;
  const auto csv = run_command(program + " show --format csv " + q("open_loop.json"));
  EXPECT_NE(csv.out.find(",offered_rate,achieved_rate,requests,incomplete,p50,"), std::string::npos)
      << csv.out;
}

// strace sees every open: show and render must read each input once.
TEST(CliInputs, ShowAndRenderOpenEachInputOnce) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  if (run_command("strace -V").exit_code != 0)
    GTEST_SKIP() << "strace is not installed";
  temp_dir dir;
  const auto trace = (dir.path() / "trace").string();
  for (const auto& sub : std::vector<std::string>{
           "show", "render --out " + shell_quoted((dir.path() / "p" / "README.md").string())}) {
    const auto r = run_command(
        "env ASAN_OPTIONS=detect_leaks=0 strace -f -e trace=open,openat -o " + shell_quoted(trace) +
        " " + program + " " + sub + " " + q("open_loop.json") + " " + q("poolbench_base.json"));
    ASSERT_EQ(r.exit_code, 0) << sub << r.err;
    const auto text = read_text(trace);
    for (const char* name : {"/open_loop.json\"", "/poolbench_base.json\""}) {
      std::size_t opens = 0;
      for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + 1))
        ++opens;
      EXPECT_EQ(opens, 1u) << sub << " opened " << name << " " << opens << " times";
    }
  }
}

TEST(CliRender, RefusesToReplaceAPageMadeFromOtherFilesUnlessForced) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const auto page = (dir.path() / "results" / "README.md").string();
  const std::string render = program + " render --out " + shell_quoted(page) + " ";
  ASSERT_EQ(run_command(render + q("poolbench_base.json")).exit_code, 0);
  const auto before = read_text(page);
  EXPECT_EQ(run_command(render + q("poolbench_base.json")).exit_code, 0) << "same inputs";
  const auto other = run_command(render + q("poolbench_new.json"));
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_EQ(line_count(other.err), 1u) << other.err;
  EXPECT_NE(other.err.find(page + " was made from other files ("), std::string::npos) << other.err;
  EXPECT_NE(other.err.find("pass --force to replace it"), std::string::npos) << other.err;
  EXPECT_EQ(read_text(page), before) << "the page was replaced anyway";
  EXPECT_EQ(run_command(render + "--force " + q("poolbench_new.json")).exit_code, 0);
  EXPECT_NE(read_text(page), before);
  // A page nobody generated is not replaced either.
  const auto mine = (dir.path() / "NOTES.md").string();
  write_text(mine, "# my notes\n");
  const auto notes =
      run_command(program + " render --out " + shell_quoted(mine) + " " + q("poolbench_base.json"));
  EXPECT_EQ(notes.exit_code, 2);
  EXPECT_NE(notes.err.find("was not written by poolbench-report render"), std::string::npos);
  EXPECT_EQ(read_text(mine), "# my notes\n");
}

TEST(CliRender, FailAboveIsTheThresholdWithMarginAsItsAlias) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const auto out = " --out " + shell_quoted((dir.path() / "README.md").string()) + " ";
  const auto base = q("poolbench_base.json");
  ASSERT_EQ(run_command(program + " render --fail-above 3%" + out + base).exit_code, 0);
  EXPECT_EQ(run_command(program + " render --check --fail-above 3%" + out + base).exit_code, 0);
  EXPECT_EQ(run_command(program + " render --check --margin 3%" + out + base).exit_code, 0);
  EXPECT_EQ(run_command(program + " render --check --fail-above 1%" + out + base).exit_code, 1);
  const auto bad = run_command(program + " render --check --fail-above lots" + out + base);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--fail-above wants a percentage"), std::string::npos) << bad.err;
  // The colour flag: one spelling, the other accepted.
  for (const char* flag : {"--colour", "--color"}) {
    const auto r = run_command(program + " show " + flag + " always " + base);
    EXPECT_EQ(r.exit_code, 0) << flag;
    EXPECT_NE(r.out.find('\x1b'), std::string::npos) << flag;
  }
}

// Rows of different work never share a table: a ratio between batch 3 and
// batch 100 means nothing, whatever --group-by asked for.
TEST(CliShow, TablesNeverMixWorkloads) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  std::string text = read_text(fixture("poolbench_base.json"));
  for (auto at = text.find("batch:3/"); at != std::string::npos; at = text.find("batch:3/", at))
    text.replace(at, 8, "batch:100/");
  const auto big = (dir.path() / "batch100.json").string();
  write_text(big, text);
  for (const std::string group_by : {"", "--group-by mode "}) {
    const auto r = run_command("env COLUMNS=200 " + program + " show " + group_by +
                               q("poolbench_base.json") + " " + shell_quoted(big));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("batch=3"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("batch=100"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Also grouped by batch: a table holds one workload"), std::string::npos)
        << r.out;
  }
}

// A plain Google Benchmark file records no load model: its legend must not
// talk about closed-loop workers; poolbench's files keep the caveat.
TEST(CliShow, LegendOfAPlainGoogleBenchmarkFileSaysWhatItsValuesAre) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const auto plain = run_command(program + " show " + q("google_benchmark_plain.json"));
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out.find("closed-loop"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("Google Benchmark file: each value is one repetition's real_time"),
            std::string::npos)
      << plain.out;
  const auto ours = run_command(program + " show " + q("poolbench_base.json"));
  EXPECT_NE(ours.out.find("Load: closed-loop"), std::string::npos) << ours.out;
}

}  // namespace

namespace {

// --out DIR/ writes the page into DIR (README.md, charts/ inside), not a
// file named DIR with charts/ beside it; so does an existing directory.
TEST(CliRender, AnOutDirectoryGetsThePageInsideIt) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const auto page_dir = dir.path() / "page";
  const auto r = run_command(program + " render --out " + shell_quoted(page_dir.string() + "/") +
                             " " + q("poolbench_base.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::is_regular_file(page_dir / "README.md"));
  EXPECT_TRUE(std::filesystem::is_directory(page_dir / "charts"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "charts"));
  EXPECT_NE(r.err.find("wrote " + (page_dir / "README.md").string()), std::string::npos) << r.err;
  // The directory exists now: without the slash it is still the directory.
  const auto again = run_command(program + " render --check --out " +
                                 shell_quoted(page_dir.string()) + " " + q("poolbench_base.json"));
  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
}

}  // namespace
