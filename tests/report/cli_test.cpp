// poolbench-report as a user runs it: output, exit codes (0 ok, 1 failed
// check, 2 bad usage or input) and one-line errors naming the file.

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using poolbench::report::testing::fixture;
using poolbench::report::testing::line_count;
using poolbench::report::testing::run_command;
using poolbench::report::testing::shell_quoted;

const std::string& program = poolbench::report::testing::report_program;

TEST(Cli, ShowPrintsATableWithoutColourWhenNotATerminal) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const auto r = run_command(program + " show " + shell_quoted(fixture("poolbench_base.json")) +
                             " " + shell_quoted(fixture("pytest_benchmark.json")));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Name (time in us)"), std::string::npos);
  EXPECT_NE(r.out.find("coordinated omission"), std::string::npos);
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(r.err, "");
  const auto coloured =
      run_command(program + " show --color always " + shell_quoted(fixture("poolbench_base.json")));
  EXPECT_NE(coloured.out.find('\x1b'), std::string::npos);
}

TEST(Cli, BadInputIsOneLineNamingTheFileAndExitTwo) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  poolbench::report::testing::temp_dir dir;
  const auto write = [&](const std::string& name, const std::string& text) {
    const auto path = (dir.path() / name).string();
    poolbench::report::testing::write_text(path, text);
    return path;
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {write("empty.json", ""), "empty file"},
      {write("cut.json", R"({"benchmarks": [{"name": "a")"), "truncated JSON"},
      {write("other.json", R"({"hello": "world"})"), "not benchmark JSON"},
      {(dir.path() / "missing.json").string(), "cannot open"},
  };
  for (const auto& [path, problem] : cases) {
    const std::vector<std::string> subcommands = {
        "show ", "compare " + shell_quoted(fixture("poolbench_base.json")) + " ",
        "render --out " + shell_quoted((dir.path() / "README.md").string()) + " "};
    for (const auto& sub : subcommands) {
      const auto r = run_command(program + " " + sub + shell_quoted(path));
      EXPECT_EQ(r.exit_code, 2) << sub << path;
      EXPECT_EQ(r.out, "") << sub << path;
      EXPECT_EQ(line_count(r.err), 1u) << r.err;
      EXPECT_EQ(r.err.rfind("poolbench-report: " + path + ": ", 0), 0u) << r.err;
      EXPECT_NE(r.err.find(problem), std::string::npos) << r.err;
    }
  }
}

TEST(Cli, BadUsageExitsTwo) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  EXPECT_EQ(run_command(program).exit_code, 2);
  EXPECT_EQ(run_command(program + " frobnicate").exit_code, 2);
  EXPECT_EQ(run_command(program + " show").exit_code, 2);
  const auto base = shell_quoted(fixture("poolbench_base.json"));
  EXPECT_EQ(run_command(program + " show --format xml " + base).exit_code, 2);
  EXPECT_EQ(run_command(program + " show --columns min,speed " + base).exit_code, 2);
  EXPECT_EQ(run_command(program + " show --sort colour " + base).exit_code, 2);
  EXPECT_EQ(run_command(program + " compare " + base).exit_code, 2);
  EXPECT_EQ(run_command(program + " compare --fail-above lots " + base + " " + base).exit_code, 2);
  EXPECT_EQ(run_command(program + " --help").exit_code, 0);
}

// The poolbench_* fixtures have 3 repetitions: no verdict can be `slower`
// (the smallest p is 0.1), whatever the threshold. Without --fail-above that
// exits 0; as a gate it is refused (exit 2: too few repetitions). The gate
// on real runs is in gate_test.cpp and gate_cases_test.cpp.
TEST(Cli, CompareExitsZeroWithoutASlowerVerdict) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const auto base = shell_quoted(fixture("poolbench_base.json"));
  const auto next = shell_quoted(fixture("poolbench_new.json"));
  const auto plain = run_command(program + " compare " + base + " " + next);
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("Only in old"), std::string::npos);
  EXPECT_NE(plain.out.find("New/Old [95% CI]"), std::string::npos);
  EXPECT_NE(plain.out.find("inconclusive"), std::string::npos);
  EXPECT_NE(plain.out.find("Verdicts: 0 slower"), std::string::npos) << plain.out;
  const auto gate = run_command(program + " compare --fail-above 5% " + base + " " + next);
  EXPECT_EQ(gate.exit_code, 2) << gate.out << gate.err;
  EXPECT_NE(gate.err.find("too few repetitions"), std::string::npos) << gate.err;
  EXPECT_EQ(run_command(program + " compare --fail-above 5 " + base + " " + base).exit_code, 2);
  EXPECT_EQ(run_command(program + " compare --fail-above 100% " + base + " " + base).exit_code, 2);
}

// A benchmark that failed in the new file fails the gate; one that failed
// only in the old file does not. Neither is compared as numbers.
TEST(Cli, CompareFailsTheGateOnABenchmarkThatFailedInTheNewFile) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  poolbench::report::testing::temp_dir dir;
  const auto good = fixture("google_benchmark_plain.json");
  std::string text = poolbench::report::testing::read_text(good);
  const std::string first_run = "\"name\": \"BM_concat/8\",";
  const auto at = text.find(first_run);
  ASSERT_NE(at, std::string::npos);
  text.insert(at + first_run.size(),
              " \"error_occurred\": true, \"error_message\": \"HTTP 500 for romeo\",");
  const auto broken = (dir.path() / "broken.json").string();
  poolbench::report::testing::write_text(broken, text);
  const auto r =
      run_command(program + " compare " + shell_quoted(good) + " " + shell_quoted(broken));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("failed: in new: HTTP 500 for romeo"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 failed"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("BM_concat/8"), std::string::npos) << r.err;
  const auto reversed =
      run_command(program + " compare " + shell_quoted(broken) + " " + shell_quoted(good));
  EXPECT_EQ(reversed.exit_code, 0) << reversed.err;
  EXPECT_NE(reversed.out.find("failed: in old: HTTP 500 for romeo"), std::string::npos);
}

}  // namespace
