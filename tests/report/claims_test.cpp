// "What the results say" is computed: a clear winner, a tie within the
// margin, the pairing (same mode and workers), the C++/Python factor matched
// by strategy, mode and workers, the run summary saying the same as the
// page, and `render --check` catching a stale claim.

#include "test_support.hpp"

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/claims/sequential_plan.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/page/results_page.hpp>
#include <poolbench/report/page/summary.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <sstream>

namespace {

namespace report = poolbench::report;
using report::verdict;
using report::testing::around;
using report::testing::fixture;
using report::testing::run_command;
using report::testing::shell_quoted;

// Google Benchmark JSON: one iteration run per repetition mean (seconds).
std::string google_benchmark_json(
    const std::vector<std::pair<std::string, std::vector<double>>>& benchmarks) {
  nlohmann::json doc;
  doc["context"] = {{"git_revision", "synthetic"}};
  doc["benchmarks"] = nlohmann::json::array();
  for (const auto& [name, means] : benchmarks) {
    for (double m : means) {
      doc["benchmarks"].push_back(
          {{"name", name}, {"run_type", "iteration"}, {"real_time", m}, {"time_unit", "s"}});
    }
  }
  return doc.dump();
}

report::result_file synthetic(
    const std::vector<std::pair<std::string, std::vector<double>>>& benchmarks) {
  return report::parse_result_text(google_benchmark_json(benchmarks), "synthetic.json");
}

TEST(Claims, ClearWinnerAndTie) {
  const auto file = synthetic({
      {"thread_pool/warm/batch:3/workers:3/delay_ms:0", around(10e-3)},
      {"async_pool/warm/batch:3/workers:3/delay_ms:0", around(8e-3)},
      {"process_pool/warm/batch:3/workers:3/delay_ms:0", around(12e-3)},
      {"thread_pool/warm/batch:100/workers:16/delay_ms:10", around(30e-3)},
      {"async_pool/warm/batch:100/workers:16/delay_ms:10", around(30.3e-3)},
  });
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 2u);
  EXPECT_EQ(claims.tests, 2u);
  const auto& win = claims.workloads[0];
  EXPECT_EQ(report::workload_text(win.key), "batch=3 delay_ms=0 keepalive=0 mode=warm workers=3");
  EXPECT_EQ(win.fastest, "async_pool");
  EXPECT_EQ(win.runner_up, "thread_pool");
  EXPECT_EQ(win.strategies, 3u);
  EXPECT_NEAR(win.estimate.ratio, 1.25, 1e-12);
  EXPECT_EQ(win.result, verdict::slower);  // the runner-up is slower: a win
  EXPECT_EQ(report::claim_text(win, claims.rule).rfind("async_pool wins by 25.0% [", 0), 0u)
      << report::claim_text(win, claims.rule);
  const auto& tie = claims.workloads[1];
  EXPECT_EQ(tie.fastest, "thread_pool");
  EXPECT_EQ(tie.result, verdict::same);
  EXPECT_EQ(report::claim_text(tie, claims.rule), "tie (within ±5.0%)");
  // A narrower margin no longer calls it a tie.
  report::decision_rule narrow;
  narrow.threshold = 0.005;
  EXPECT_EQ(report::compute_claims({file}, narrow).workloads[1].result, verdict::inconclusive);
}

TEST(Claims, OnlyTheSameModeAndWorkersArePaired) {
  const auto file = synthetic({
      {"thread_pool/warm/batch:3/workers:3/delay_ms:0", around(10e-3)},
      {"async_pool/cold/batch:3/workers:3/delay_ms:0", around(8e-3)},
      {"process_pool/warm/batch:3/workers:2/delay_ms:0", around(12e-3)},
      {"serial/warm/batch:3/workers:1/delay_ms:0", around(12e-3)},
  });
  EXPECT_TRUE(report::compute_claims({file}).workloads.empty());
}

TEST(Claims, TheFloorIsNeverAContender) {
  // The floor and unbounded share a workload (neither has a pool to size):
  // the floor, however fast, is the measuring stick, so unbounded has no one
  // to be compared with there.
  const auto file = synthetic({
      {"floor/batch:3/delay_ms:0", around(5e-3)},
      {"unbounded/batch:3/delay_ms:0", around(8e-3)},
      {"thread_pool/warm/batch:3/workers:3/delay_ms:0", around(10e-3)},
      {"async_pool/warm/batch:3/workers:3/delay_ms:0", around(8e-3)},
  });
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 1u);
  EXPECT_EQ(claims.workloads[0].fastest, "async_pool");
  EXPECT_EQ(claims.workloads[0].runner_up, "thread_pool");
}

TEST(Claims, FailedBenchmarksAreLeftOutAndNamed) {
  auto file = synthetic({
      {"thread_pool/warm/batch:3/workers:3/delay_ms:0", around(10e-3)},
      {"async_pool/warm/batch:3/workers:3/delay_ms:0", around(8e-3)},
  });
  file.benchmarks[1].error = "HTTP 500";
  const auto claims = report::compute_claims({file});
  EXPECT_TRUE(claims.workloads.empty());
  ASSERT_EQ(claims.failed.size(), 1u);
  EXPECT_NE(claims.failed[0].find("HTTP 500"), std::string::npos);
}

TEST(Claims, PythonFactorMatchesStrategyModeAndWorkers) {
  const auto cpp = synthetic({
      {"serial/warm/batch:3/workers:1/delay_ms:0", around(0.2e-3)},
      {"thread_pool/warm/batch:3/workers:3/delay_ms:0", around(0.2e-3)},
  });
  const auto python = report::load_result_file(fixture("pytest_benchmark.json"));
  report::result_file py = python;
  // Give two of the fixture's benchmarks the parameters scripts/reference
  // records in extra_info.
  ASSERT_GE(py.benchmarks.size(), 2u);
  py.benchmarks[0].params = {{"strategy", "serial"},
                             {"mode", "warm"},
                             {"batch", "3"},
                             {"workers", "1"},
                             {"delay_ms", "0"}};
  py.benchmarks[1].params = {{"strategy", "thread_pool"},
                             {"mode", "warm"},
                             {"batch", "3"},
                             {"workers", "6"},
                             {"delay_ms", "0"}};
  // One session against one server (pairing_test covers the other cases).
  report::result_file same_session = cpp;
  same_session.context = {{"host", "vm"},
                          {"boot_id", "b"},
                          {"date", "2026-11-27T09:24:14+00:00"},
                          {"server_kind", "embedded"}};
  py.context = {{"node", "vm"},
                {"boot_id", "b"},
                {"datetime", "2026-11-27T09:30:00"},
                {"server_software", "poolbench-server"}};
  const auto claims = report::compute_claims({same_session, py});
  ASSERT_EQ(claims.languages.size(), 1u);
  const auto& c = claims.languages[0];
  EXPECT_EQ(c.cpp, "serial/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(c.python, py.benchmarks[0].name);
  EXPECT_EQ(c.workload, "strategy=serial mode=warm batch=3 workers=1 delay_ms=0");
  EXPECT_NEAR(c.estimate.ratio, report::mean_of(py.benchmarks[0].samples) / 0.2e-3, 1e-9);
  EXPECT_TRUE(c.estimate.ratio_interval.has_value());
  // Workers 6 in Python, 3 in C++: no factor, and said so.
  ASSERT_FALSE(claims.unmatched_python.empty());
  EXPECT_NE(claims.unmatched_python[0].find("thread_pool warm, 6 workers"), std::string::npos);
}

// The run summary and the page say the same thing about the same data.
// Repetitions the runner added after looking (docs/sized-repetitions.md)
// are judged by the sequential rule, never by one test over all of them:
// the claims are evaluate_sequential's, and a later look says so.
std::vector<double> joined(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Claims, WorkloadClaimsAreTheSequentialRules) {
  // CV 14% (too noisy to decide from 9 a side), 20% apart, extended to 18.
  const auto noisy_a = joined(around(10e-3, 0.2), around(10.01e-3, 0.2));
  const auto noisy_b = joined(around(12e-3, 0.2), around(12.01e-3, 0.2));
  const auto file = synthetic({{"thread_pool/cold/batch:3/workers:3/delay_ms:0", noisy_a},
                               {"async_pool/cold/batch:3/workers:3/delay_ms:0", noisy_b}});
  const auto claims = report::compute_claims({file});
  const auto sequential = report::evaluate_sequential({file});
  ASSERT_EQ(claims.workloads.size(), 1u);
  ASSERT_EQ(sequential.workloads.size(), 1u);
  const auto& c = claims.workloads[0];
  const auto& s = sequential.workloads[0];
  ASSERT_EQ(s.look, 2u);
  EXPECT_EQ(c.look, 2u);
  EXPECT_EQ(c.result, s.claim.result);
  EXPECT_EQ(c.corrected_p, s.claim.corrected_p);
  ASSERT_TRUE(c.estimate.ratio_interval && s.claim.estimate.ratio_interval);
  EXPECT_DOUBLE_EQ(c.estimate.ratio_interval->low, s.claim.estimate.ratio_interval->low);
  EXPECT_DOUBLE_EQ(c.estimate.ratio_interval->high, s.claim.estimate.ratio_interval->high);
  // Not a single look's percentile bootstrap over the same 18.
  const auto single = report::estimate_ratio(noisy_a, noisy_b, "single look");
  EXPECT_NE(c.estimate.ratio_interval->low, single.ratio_interval->low);
  EXPECT_NE(report::claim_text(c, claims.rule).find("(extended to 18 a side)"), std::string::npos)
      << report::claim_text(c, claims.rule);
}

TEST(Claims, AClaimDecidedAtTheFirstLookKeepsItsVerdict) {
  // A tie over the first 9; 9 more in which the runner-up is 50% slower
  // would sway a single look over all 18, not the first look's decision.
  const auto a = joined(around(20e-3, 0.005), around(20e-3, 0.005));
  const auto b = joined(around(20.1e-3, 0.005), around(30e-3, 0.005));
  const auto file = synthetic({{"thread_pool/warm/batch:10/workers:4/delay_ms:0", a},
                               {"async_pool/warm/batch:10/workers:4/delay_ms:0", b}});
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 1u);
  const auto& c = claims.workloads[0];
  EXPECT_EQ(c.result, verdict::same);
  EXPECT_EQ(c.look, 1u);
  EXPECT_EQ(c.estimate.base_values, 9u);
  EXPECT_EQ(report::claim_text(c, claims.rule), "tie (within ±5.0%)");
  // A single look over all 18 would not call it a tie.
  const auto single = report::estimate_ratio(a, b, "single look");
  EXPECT_NE(report::decide(single.ratio_interval, single.p_value, {}), verdict::same);
}

TEST(Claims, ARunnerUpThatComesOutAheadAtALaterLookIsNamedFirst) {
  // thread_pool 5% ahead over a noisy first 9 (inconclusive, extended),
  // then 18 in which async_pool is clearly faster: at the later look the
  // pair chosen first reads ratio < 1, and the claim names the leader.
  const auto a = joined(joined(around(10e-3, 0.2), around(14e-3, 0.02)), around(14e-3, 0.02));
  const auto b = joined(joined(around(10.5e-3, 0.2), around(10e-3, 0.02)), around(10e-3, 0.02));
  const auto file = report::parse_result_text(
      google_benchmark_json({{"thread_pool/warm/batch:10/workers:4/delay_ms:0", a},
                             {"async_pool/warm/batch:10/workers:4/delay_ms:0", b}}),
      "synthetic.json");
  const auto sequential = report::evaluate_sequential({file});
  ASSERT_EQ(sequential.workloads.size(), 1u);
  ASSERT_GT(sequential.workloads[0].look, 1u);
  ASSERT_LT(sequential.workloads[0].claim.estimate.ratio, 1.0);  // the case this test is for
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 1u);
  const auto& c = claims.workloads[0];
  EXPECT_EQ(c.fastest, "async_pool");
  EXPECT_EQ(c.runner_up, "thread_pool");
  EXPECT_GT(c.estimate.ratio, 1.0);
  ASSERT_TRUE(c.estimate.ratio_interval);
  EXPECT_LT(c.estimate.ratio_interval->low, c.estimate.ratio);
  EXPECT_GT(c.estimate.ratio_interval->high, c.estimate.ratio);
  EXPECT_NEAR(c.estimate.ratio, 1 / sequential.workloads[0].claim.estimate.ratio, 1e-12);
  const auto text = report::claim_text(c, claims.rule);
  EXPECT_EQ(text.find("-"), std::string::npos) << text;  // no "ahead by -4.2%"
  EXPECT_EQ(text.rfind("async_pool", 0) == 0 || text.find(": async_pool") != std::string::npos,
            true)
      << text;
}

TEST(Claims, AnInconclusiveClaimSaysHowManyRepetitionsWouldDecideIt) {
  // 10% apart with a wide spread: the interval crosses the 5% margin at 9 a
  // side. The same 10% with the same spread at four times the repetitions
  // (the values repeated) has an interval about half as wide.
  const auto noisy_a = around(10e-3, 0.3);
  const auto noisy_b = around(11e-3, 0.3);
  const auto file = synthetic({
      {"thread_pool/warm/batch:3/workers:3/delay_ms:0", noisy_a},
      {"async_pool/warm/batch:3/workers:3/delay_ms:0", noisy_b},
      {"thread_pool/warm/batch:100/workers:16/delay_ms:10", around(30e-3)},
      {"async_pool/warm/batch:100/workers:16/delay_ms:10", around(40e-3)},
  });
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 2u);
  const auto& open = claims.workloads[0];
  ASSERT_EQ(open.result, verdict::inconclusive);
  ASSERT_TRUE(open.estimate.ratio_interval);
  ASSERT_LT(open.estimate.ratio_interval->low, 1.05);  // it crosses the margin
  const double needed = open.repetitions_to_decide;
  ASSERT_TRUE(std::isfinite(needed));
  EXPECT_GT(needed, 9.0);
  const auto text = report::claim_text(open, claims.rule);
  EXPECT_NE(text.find("repetitions of each pool would decide it (a win or a tie)"),
            std::string::npos)
      << text;
  // The projection is a square law on the interval's room to the margin:
  // the interval's half below the ratio must shrink by sqrt(9 / needed) to
  // clear 1.05.
  const double below = std::log(open.estimate.ratio / open.estimate.ratio_interval->low);
  const double room = std::log(open.estimate.ratio / 1.05);
  EXPECT_NEAR(needed, 9.0 * (below / room) * (below / room), 1e-9 * needed);
  // A decided claim says nothing of the kind.
  const auto& won = claims.workloads[1];
  EXPECT_EQ(won.result, verdict::slower);
  EXPECT_TRUE(std::isnan(won.repetitions_to_decide));
  EXPECT_EQ(report::claim_text(won, claims.rule).find("would decide"), std::string::npos);
}

// An inconclusive workload the runner did not extend says why, in the
// runner's words from the file's second-stage record; one it extended, or a
// file without the record, says nothing of the kind.
TEST(Claims, AWorkloadLeftAtTheFirstLookSaysWhy) {
  const std::string workload = "batch=3 delay_ms=0 keepalive=0 mode=warm workers=3";
  const auto file_with = [&](double budget, bool extended) {
    nlohmann::json doc = nlohmann::json::parse(google_benchmark_json(
        {{"thread_pool/warm/batch:3/workers:3/delay_ms:0", around(10e-3, 0.3)},
         {"async_pool/warm/batch:3/workers:3/delay_ms:0", around(11e-3, 0.3)}}));
    doc["context"]["sequential"] = {
        {"settings",
         {{"alpha", 0.05}, {"margin", 0.05}, {"first_look", 9}, {"allowed_totals", {18, 27}}}},
        {"budget_seconds", budget},
        {"workloads_needing_more", {workload}},
        {"extensions",
         extended ? nlohmann::json::array({{{"workload", workload}}}) : nlohmann::json::array()}};
    return report::parse_result_text(doc.dump(), "synthetic.json");
  };
  const auto text_of = [](const report::result_file& f) {
    const auto claims = report::compute_claims({f});
    EXPECT_EQ(claims.workloads.size(), 1u);
    EXPECT_EQ(claims.workloads.at(0).result, verdict::inconclusive);
    return report::claim_text(claims.workloads.at(0), claims.rule);
  };
  EXPECT_NE(text_of(file_with(90, false)).find("(not extended: no time left in --extra-budget)"),
            std::string::npos)
      << text_of(file_with(90, false));
  EXPECT_NE(text_of(file_with(0, false))
                .find("(not extended: the second stage was off, --extra-budget 0)"),
            std::string::npos);
  EXPECT_EQ(text_of(file_with(90, true)).find("not extended"), std::string::npos);
  EXPECT_EQ(
      text_of(synthetic({{"thread_pool/warm/batch:3/workers:3/delay_ms:0", around(10e-3, 0.3)},
                         {"async_pool/warm/batch:3/workers:3/delay_ms:0", around(11e-3, 0.3)}}))
          .find("not extended"),
      std::string::npos);
}

TEST(Claims, RepetitionRangesReadAsCounts) {
  EXPECT_EQ(report::repetitions_range_words(31.2, 31.9), "about 32");
  EXPECT_EQ(report::repetitions_range_words(33, 54), "about 33 to 54");
  EXPECT_EQ(report::repetitions_range_words(386, 7031), "about 390 to 7000");
  EXPECT_EQ(report::repetitions_range_words(386, 123456), "from about 390 to more than 10,000");
  EXPECT_EQ(report::repetitions_range_words(20000, std::numeric_limits<double>::infinity()),
            "more than 10,000");
}

TEST(Claims, ARatioOnTheMarginIsSaidToBeUndecidable) {
  report::workload_claim c;
  c.fastest = "async_pool";
  c.result = verdict::inconclusive;
  c.estimate.ratio = 1.05;
  c.estimate.ratio_interval = report::interval{1.0, 1.1};
  c.repetitions_to_decide = std::numeric_limits<double>::infinity();
  EXPECT_NE(report::claim_text(c, {}).find(
                "no number of repetitions would decide it: the ratio sits on the ±5.0% margin"),
            std::string::npos)
      << report::claim_text(c, {});
  c.repetitions_to_decide = 123456;
  EXPECT_NE(
      report::claim_text(c, {}).find("it would take more than 10,000 repetitions of each "
                                     "pool: the lead is too close to the ±5.0% margin to settle"),
      std::string::npos);
  c.repetitions_to_decide = 7031.2;  // two significant digits past 100
  EXPECT_NE(report::claim_text(c, {}).find("about 7000 repetitions of each pool"),
            std::string::npos)
      << report::claim_text(c, {});
  c.repetitions_to_decide = 31.2;
  EXPECT_NE(report::claim_text(c, {}).find(
                "at this spread about 32 repetitions of each pool would decide it"),
            std::string::npos);
}

TEST(Claims, SummaryAndPageAgreeWithTheData) {
  const auto file = report::load_result_file(fixture("gate_a1.json"));
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 1u);  // thread_pool and async_pool at 3 workers
  const auto& c = claims.workloads[0];
  std::ostringstream summary;
  report::print_summary(summary, claims);
  const auto text = report::claim_text(c, claims.rule);
  // The terminal row: the workload's values, both strategies, the ratio with
  // its interval, and the verdict alone (the page says it in words).
  const std::string verdict = c.result == report::verdict::slower ? "wins"
                              : c.result == report::verdict::same ? "tie"
                                                                  : "inconclusive";
  const auto row = summary.str().find(c.fastest + "  " + c.runner_up + "  " +
                                      report::ratio_text(c.estimate) + "  " + verdict);
  EXPECT_NE(row, std::string::npos) << summary.str();
  report::page_options options;
  options.out = "unused/README.md";
  const auto page = report::build_results_page({file}, options)[0].content;
  const auto section = page.find("## What the results say");
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(section, page.find("## Sources"));  // at the top
  EXPECT_NE(page.find("| " + report::workload_text(c.key) + " | " + c.fastest + " | " +
                      c.runner_up + " | " + report::ratio_text(c.estimate) + " | " + text + " |"),
            std::string::npos)
      << page;
}

#ifdef POOLBENCH_REPORT_BIN
TEST(Cli, RenderCheckFailsOnAStaleClaim) {
  report::testing::temp_dir dir;
  const std::string program = POOLBENCH_REPORT_BIN;
  const auto page = (dir.path() / "results" / "README.md").string();
  const auto out = " --out " + shell_quoted(page) + " ";
  const auto a = shell_quoted(fixture("gate_a1.json"));
  ASSERT_EQ(run_command(program + " render" + out + a).exit_code, 0);
  EXPECT_EQ(run_command(program + " render --check" + out + a).exit_code, 0);
  // A claim edited by hand: its ratio typed over.
  const auto claims = report::compute_claims({report::load_result_file(fixture("gate_a1.json"))});
  const auto typed = report::ratio_text(claims.workloads.at(0).estimate);
  auto text = report::testing::read_text(page);
  const auto at = text.find(typed);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, typed.size(), "1.0000 [0.9900, 1.0100]");
  report::testing::write_text(page, text);
  const auto stale = run_command(program + " render --check" + out + a);
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.err.find("stale"), std::string::npos);
  // New data, old claims: stale too. And another margin changes the claims.
  ASSERT_EQ(run_command(program + " render" + out + a).exit_code, 0);
  const auto b = shell_quoted(fixture("gate_a2.json"));
  EXPECT_EQ(run_command(program + " render --check" + out + b).exit_code, 1);
  EXPECT_EQ(run_command(program + " render --check --margin 1%" + out + a).exit_code, 1);
  EXPECT_EQ(run_command(program + " render --check --margin 1000%" + out + a).exit_code, 2);
}
#endif

}  // namespace
