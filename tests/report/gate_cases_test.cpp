// compare as a CI gate (--fail-above) on the cases a new user met: it never
// passes on what it could not decide. Synthetic pairs are made at test time
// from real files (results/latest.json, the fixtures) by
// fixtures/transform_result.py: scaled times, fewer repetitions, another
// machine in the context.

#include "synthetic_results.hpp"
#include "test_support.hpp"

#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/compare/gate.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/tables/aligned_text.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

namespace {

namespace report = poolbench::report;
using report::verdict;
using report::testing::file_of;
using report::testing::fixture;
using report::testing::nine;
using report::testing::synthetic;

const std::string latest = std::string(POOLBENCH_SOURCE_DIR) + "/results/latest.json";

// Library level: an interval wholly above the margin whose corrected test
// does not reject is marked, fails the gate, and passes only when allowed.
TEST(GateRule, AnUnconfirmedSlowdownFailsUnlessAllowed) {
  // Seven of nine values ~30% slower, two below every old value: U = 63 of
  // 81, p ~ 0.02, not below alpha 0.001 (which 9 a side can reach).
  const std::vector<double> mostly_slower = {13.0,  13.1,  12.9, 13.05, 9.5,
                                             12.95, 13.08, 9.6,  13.02};
  report::decision_rule rule;
  rule.alpha = 0.001;
  const auto r =
      report::compare_results(file_of({synthetic("a", nine)}, "old.json"),
                              file_of({synthetic("a", mostly_slower)}, "new.json"), rule);
  ASSERT_EQ(r.common.size(), 1u);
  const auto& c = r.common.front();
  ASSERT_TRUE(c.estimate.ratio_interval);
  EXPECT_GT(c.estimate.ratio_interval->low, 1.05) << report::ratio_text(c.estimate);
  EXPECT_GE(*c.corrected_p, rule.alpha);
  EXPECT_FALSE(c.test_cannot_reject);
  EXPECT_EQ(c.result, verdict::inconclusive);
  EXPECT_EQ(c.unconfirmed_side, 1);
  const auto gate = report::decide_gate(r, {});
  EXPECT_EQ(gate.outcome, report::gate_outcome::fail);
  ASSERT_EQ(gate.reasons.size(), 1u);
  EXPECT_NE(gate.reasons.front().find("whole interval above +5%"), std::string::npos);
  EXPECT_EQ(report::decide_gate(r, {.allow_inconclusive = true}).outcome,
            report::gate_outcome::pass);
  std::ostringstream text;
  report::write_comparison(text, r);
  EXPECT_NE(text.str().find("inconclusive (all beyond +5%, not significant)"), std::string::npos)
      << text.str();
  EXPECT_NE(text.str().find("not \"same\""), std::string::npos) << text.str();
}

TEST(GateRule, RepetitionsNeededGrowWithTheHolmFamily) {
  // 2 / C(2n, n) * m < alpha: m = 1 -> 4 (0.029), 3 -> 5 (0.0079 x 3), 96 -> 8.
  EXPECT_EQ(report::repetitions_needed(0.05, 1), 4u);
  EXPECT_EQ(report::repetitions_needed(0.05, 3), 5u);
  EXPECT_EQ(report::repetitions_needed(0.05, 96), 8u);
}

#ifdef POOLBENCH_REPORT_BIN
using report::testing::run_command;
using report::testing::shell_quoted;

const std::string program = POOLBENCH_REPORT_BIN;

// A transformed copy of `source` in `dir` (see fixtures/transform_result.py).
std::string transformed(const report::testing::temp_dir& dir, const std::string& source,
                        const std::string& name, const std::string& options) {
  const auto target = (dir.path() / name).string();
  const auto r =
      run_command("/usr/bin/python3 " + shell_quoted(fixture("transform_result.py")) + " " +
                  shell_quoted(source) + " " + shell_quoted(target) + " " + options);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return target;
}

std::string gate(const std::string& options, const std::string& a, const std::string& b) {
  return program + " compare --fail-above 5% " + options + " " + shell_quoted(a) + " " +
         shell_quoted(b);
}

TEST(GateCli, AThirtyPercentSlowdownAtFiveRepetitionsNeverPasses) {
  report::testing::temp_dir dir;
  // The whole published run, 5 repetitions a side: the exact U test cannot
  // pass Holm over its benchmarks, so the gate refuses and says how many.
  const auto old5 = transformed(dir, latest, "old5.json", "--repetitions 5");
  const auto new5 = transformed(dir, latest, "new5.json", "--repetitions 5 --scale 1.3");
  const auto tested =
      report::compare_results(report::load_result_file(old5), report::load_result_file(new5)).tests;
  const auto needed = report::repetitions_needed(0.05, tested);
  ASSERT_GT(needed, 5u);
  const auto refused = run_command(gate("", old5, new5));
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_EQ(refused.out, "");
  EXPECT_EQ(report::testing::line_count(refused.err), 1u) << refused.err;
  EXPECT_NE(
      refused.err.find("this comparison needs " + std::to_string(needed) + "+ repetitions a side"),
      std::string::npos)
      << refused.err;
  EXPECT_EQ(run_command(gate("--allow-inconclusive", old5, new5)).exit_code, 2);
  // Without the gate the rows say why, and no interval from 5 repetitions
  // is printed as numbers.
  const auto plain =
      run_command(program + " compare " + shell_quoted(old5) + " " + shell_quoted(new5));
  EXPECT_NE(plain.out.find("1.3000 [needs " + std::to_string(needed) + "+ a side]"),
            std::string::npos)
      << plain.out;
  EXPECT_NE(plain.out.find("inconclusive (all beyond +5%, not significant)"), std::string::npos);
  EXPECT_EQ(plain.out.find(" same\n"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("0 same"), std::string::npos) << plain.out;
  // Three benchmarks at 5 repetitions can reach significance: slower, exit 1.
  const auto few_old = transformed(dir, fixture("compare_py_a.json"), "a5.json", "--repetitions 5");
  const auto few_new =
      transformed(dir, fixture("compare_py_a.json"), "b5.json", "--repetitions 5 --scale 1.3");
  const auto slower = run_command(gate("", few_old, few_new));
  EXPECT_EQ(slower.exit_code, 1) << slower.out << slower.err;
  EXPECT_NE(slower.out.find("Verdicts: 3 slower"), std::string::npos) << slower.out;
}

TEST(GateCli, APytestBenchmarkPairThreeTimesSlowerFailsOnItsRounds) {
  report::testing::temp_dir dir;
  const auto old_file = fixture("pytest_benchmark.json");
  const auto slower = transformed(dir, old_file, "slower.json", "--scale 3");
  const auto r = run_command(gate("", old_file, slower));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("Verdicts: 3 slower"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("round times (pytest-benchmark keeps no repetitions"), std::string::npos)
      << r.out;
  // Without per-round data nothing can be judged: refused, not passed.
  const auto bare_old = transformed(dir, old_file, "bare_old.json", "--drop-data");
  const auto bare_new = transformed(dir, old_file, "bare_new.json", "--drop-data --scale 3");
  const auto bare = run_command(gate("", bare_old, bare_new));
  EXPECT_EQ(bare.exit_code, 2) << bare.out << bare.err;
  EXPECT_NE(bare.err.find("nothing to judge"), std::string::npos) << bare.err;
  EXPECT_NE(bare.err.find("--benchmark-save-data"), std::string::npos) << bare.err;
}

TEST(GateCli, AnIntelAmdPairNamesBothCpusAndIsNotGatedOnRawTimes) {
  report::testing::temp_dir dir;
  // Both machines are set here: the published file's own machine changes
  // with every publication.
  const auto intel =
      transformed(dir, latest, "intel.json",
                  "--set 'cpu_model=Intel(R) Xeon(R) Processor' --set mhz_per_cpu=2100");
  const auto amd =
      transformed(dir, latest, "amd.json",
                  "--set 'cpu_model=AMD EPYC 7B13 64-Core Processor' --set mhz_per_cpu=2600");
  const auto plain =
      run_command(program + " compare " + shell_quoted(intel) + " " + shell_quoted(amd));
  EXPECT_NE(plain.out.find("Intel(R) Xeon(R) Processor"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("AMD EPYC 7B13 64-Core Processor"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("2100  ->  2600"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("The machines differ: a verdict below may be the machine's"),
            std::string::npos)
      << plain.out;
  const auto refused = run_command(gate("", intel, amd));
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("not comparable: the files come from different machines"),
            std::string::npos)
      << refused.err;
  // Normalised or not: the floor does not cancel a machine (the docs' measurement).
  EXPECT_EQ(run_command(gate("--normalize floor", intel, amd)).exit_code, 2);
  EXPECT_EQ(run_command(gate("--allow-other-machine", intel, amd)).exit_code, 0);
}

// Every time of one file x 1.3, as a machine uniformly 30% slower would be.
TEST(GateCli, NormalizingByTheFloorCancelsAUniformScale) {
  report::testing::temp_dir dir;
  const auto slow = transformed(dir, latest, "slow.json", "--scale 1.3");
  const auto raw = run_command(gate("", latest, slow));
  EXPECT_EQ(raw.exit_code, 1) << raw.err;
  const auto normalized = run_command(gate("--normalize floor", latest, slow));
  EXPECT_EQ(normalized.exit_code, 0) << normalized.out << normalized.err;
  EXPECT_NE(normalized.out.find("Verdicts: 0 slower, 0 faster"), std::string::npos)
      << normalized.out;
  EXPECT_NE(normalized.out.find("Old (× floor)"), std::string::npos);
  EXPECT_NE(normalized.out.find("Not compared (--normalize floor)"), std::string::npos);
  EXPECT_NE(normalized.out.find("floor/batch:3/delay_ms:0: "), std::string::npos)
      << "the yardstick is listed, not compared";
  EXPECT_EQ(run_command(program + " compare --normalize floor --metric cpu " +
                        shell_quoted(latest) + " " + shell_quoted(latest))
                .exit_code,
            2);
}

TEST(GateCli, AnAAPairPassesWithNoVerdict) {
  const auto self = run_command(gate("", latest, latest));
  EXPECT_EQ(self.exit_code, 0) << self.err;
  EXPECT_NE(self.out.find("Verdicts: 0 slower, 0 faster"), std::string::npos) << self.out;
  EXPECT_NE(self.out.find("no difference of machine or settings"), std::string::npos);
  // Two real runs of one build on one machine (fixtures/make_gate_fixtures.sh),
  // both ways: noisy, inconclusive, never slower, and no interval wholly
  // above the margin.
  const auto a1 = fixture("gate_a1.json"), a2 = fixture("gate_a2.json");
  for (const auto& [x, y] : {std::pair{a1, a2}, std::pair{a2, a1}}) {
    const auto r = run_command(gate("", x, y));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Verdicts: 0 slower, 0 faster"), std::string::npos) << r.out;
  }
}

TEST(GateCli, RowsAreSortedByWorkloadThenStrategy) {
  const auto r =
      run_command(program + " compare " + shell_quoted(latest) + " " + shell_quoted(latest));
  const auto at = [&](const std::string& name) { return r.out.find(name + " "); };
  // batch 3 before batch 100; within a workload serial, thread, process, async.
  EXPECT_LT(at("serial/warm/batch:3/workers:1/delay_ms:0"),
            at("thread_pool/warm/batch:3/workers:3/delay_ms:0"));
  EXPECT_LT(at("thread_pool/warm/batch:3/workers:3/delay_ms:0"),
            at("async_pool/warm/batch:3/workers:3/delay_ms:0"));
  EXPECT_LT(at("async_pool/warm/batch:3/workers:3/delay_ms:0"),
            at("serial/warm/batch:100/workers:1/delay_ms:0"));
}

// A --quick run has 2 repetitions a side: its claims print no interval as
// numbers, and every line fits the terminal (the end of a run prints the
// same summary as show).
TEST(QuickRunOutput, TwoRepetitionsGiveNoIntervalsAndLinesFitTheTerminal) {
  report::testing::temp_dir dir;
  const auto quick = transformed(dir, latest, "quick.json", "--repetitions 2");
  const auto r = run_command("env COLUMNS=120 " + program + " show " + shell_quoted(quick));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[needs "), std::string::npos) << r.out;
  std::size_t at = 0, line = 0;
  while (at < r.out.size()) {
    const auto end = std::min(r.out.find('\n', at), r.out.size());
    const auto text = r.out.substr(at, end - at);
    EXPECT_LE(report::columns_of(text), 120u) << "line " << line << ": " << text;
    at = end + 1;
    ++line;
  }
}

// render over two runs of one workload: each claim row names its file.
TEST(RenderOfSeveralRuns, ClaimRowsNameTheirFile) {
  report::testing::temp_dir dir;
  const auto page = dir.path() / "README.md";
  const auto r = run_command(program + " render --out " + shell_quoted(page.string()) + " " +
                             shell_quoted(fixture("gate_a1.json")) + " " +
                             shell_quoted(fixture("gate_a2.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto text = report::testing::read_text(page.string());
  EXPECT_NE(text.find("| batch=3 delay_ms=0 keepalive=0 mode=warm workers=3 (gate_a1) |"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("| batch=3 delay_ms=0 keepalive=0 mode=warm workers=3 (gate_a2) |"),
            std::string::npos)
      << text;
  const auto shown =
      run_command("env COLUMNS=200 " + program + " show " + shell_quoted(fixture("gate_a1.json")) +
                  " " + shell_quoted(fixture("gate_a2.json")));
  EXPECT_NE(shown.out.find("file"), std::string::npos) << shown.out;
}
#endif

}  // namespace
