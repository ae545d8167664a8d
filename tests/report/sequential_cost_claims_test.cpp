// The cost claims ("cheapest CPU per request", "least memory") are decided
// by the time claims' sequential rule over each repetition's counter: the
// same looks, the Welch interval at the same confidence, Holm over one
// metric's claims, and the page and terminal print the level used.

#include "test_support.hpp"

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/page/summary.hpp>
#include <poolbench/stats/sequential_rule.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace {

namespace report = poolbench::report;
using report::verdict;
using report::testing::around;

std::vector<double> joined(std::vector<double> a, const std::vector<double>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A benchmark whose repetitions all take 10 ms and whose
// client_cpu_us_per_request (or `counter`) is `cpu`, one value per
// repetition.
struct costed {
  std::string name;
  std::vector<double> cpu;
};

report::result_file file_of(const std::vector<costed>& benchmarks,
                            const nlohmann::json& sequential = nullptr,
                            const std::string& counter = "client_cpu_us_per_request") {
  nlohmann::json doc;
  doc["context"] = {{"git_revision", "synthetic"}};
  if (!sequential.is_null())
    doc["context"]["sequential"] = sequential;
  doc["benchmarks"] = nlohmann::json::array();
  for (const auto& b : benchmarks) {
    for (const double v : b.cpu)
      doc["benchmarks"].push_back({{"name", b.name},
                                   {"run_type", "iteration"},
                                   {"real_time", 10e-3},
                                   {"time_unit", "s"},
                                   {counter, v}});
  }
  return report::parse_result_text(doc.dump(), "costs.json");
}

const std::string thread = "thread_pool/warm/batch:10/workers:4/delay_ms:0";
const std::string async = "async_pool/warm/batch:10/workers:4/delay_ms:0";

const report::cost_claim& only_cpu_claim(const report::results_claims& claims) {
  for (const auto& c : claims.costs) {
    if (c.metric == report::cost_metric::cpu)
      return c;
  }
  throw std::runtime_error("no cpu claim");
}

const report::workload_claim& only_claim(const report::results_claims& claims,
                                         report::cost_metric metric) {
  for (const auto& c : claims.costs) {
    if (c.metric == metric)
      return c.claim;
  }
  throw std::runtime_error("no such claim");
}

// Two small pools' own memory: 4 times apart, a win on the ratio alone, yet
// provably less than a MiB apart: a tie on the memory claims' absolute
// margin, said as such (as a ratio interval within the ±5% margin is a tie
// whatever the U test says).
TEST(SequentialCostClaims, SmallPoolsMemoryTiesWithinAnAbsoluteMargin) {
  const auto claims = report::compute_claims(
      {file_of({{thread, around(0.2, 0.8)}, {async, around(0.05, 0.8)}}, nullptr, "pool_pss_mib")});
  const auto& c = only_claim(claims, report::cost_metric::memory);
  EXPECT_EQ(c.result, verdict::same);
  EXPECT_EQ(report::claim_text(c, claims.rule), "tie (within ±1 MiB)");
}

// Inconclusive on the ratio (its interval crosses the margin), a tie on the
// absolute margin: decided, so it carries no "repetitions would decide it".
TEST(SequentialCostClaims, AnAbsoluteTieCarriesNoProjection) {
  const auto claims = report::compute_claims(
      {file_of({{thread, around(0.2, 0.8)}, {async, around(0.22, 0.8)}}, nullptr, "pool_pss_mib")});
  const auto& c = only_claim(claims, report::cost_metric::memory);
  ASSERT_TRUE(c.estimate.ratio_interval);
  ASSERT_LT(c.estimate.ratio_interval->low, 1.05);  // the ratio alone would not decide
  ASSERT_GT(c.estimate.ratio_interval->high, 1.05);
  EXPECT_EQ(c.result, verdict::same);
  EXPECT_TRUE(std::isnan(c.repetitions_to_decide));
  EXPECT_EQ(report::claim_text(c, claims.rule), "tie (within ±1 MiB)");
}

// A difference of 1.5 MiB is no tie on that margin: the relative rule decides.
TEST(SequentialCostClaims, MemoryDifferencesBeyondTheAbsoluteMarginAreNotTies) {
  const auto claims = report::compute_claims({file_of(
      {{thread, around(2.0, 0.05)}, {async, around(0.5, 0.05)}}, nullptr, "pool_pss_mib")});
  const auto& c = only_claim(claims, report::cost_metric::memory);
  EXPECT_EQ(c.fastest, "async_pool");
  EXPECT_EQ(c.result, verdict::slower);
  // 0.9 MiB apart but noisy: the interval of the difference reaches past
  // 1 MiB, so no tie; the ratio decides.
  const auto noisy = report::compute_claims(
      {file_of({{thread, around(1.0, 0.9)}, {async, around(0.1, 0.9)}}, nullptr, "pool_pss_mib")});
  EXPECT_EQ(only_claim(noisy, report::cost_metric::memory).result, verdict::slower);
}

// CPU per request has a meaningful ratio at any size: no absolute margin.
TEST(SequentialCostClaims, CpuClaimsHaveNoAbsoluteMargin) {
  const auto claims =
      report::compute_claims({file_of({{thread, around(0.2, 0.8)}, {async, around(0.05, 0.8)}})});
  EXPECT_EQ(only_claim(claims, report::cost_metric::cpu).result, verdict::slower);
}

TEST(SequentialCostClaims, TheIntervalIsTheTimeRulesWelchIntervalAtItsConfidence) {
  const auto cheap = around(20), dear = around(24);
  const auto claims = report::compute_claims({file_of({{thread, dear}, {async, cheap}})});
  const auto& c = only_cpu_claim(claims).claim;
  EXPECT_EQ(c.fastest, "async_pool");
  const auto expected = report::estimate_look(cheap, dear, claims.sequential);
  ASSERT_TRUE(c.estimate.ratio_interval && expected.ratio_interval);
  // Not a 95% bootstrap: the Welch interval at 1 - alpha/3, to the bit.
  EXPECT_DOUBLE_EQ(c.estimate.ratio_interval->low, expected.ratio_interval->low);
  EXPECT_DOUBLE_EQ(c.estimate.ratio_interval->high, expected.ratio_interval->high);
  EXPECT_EQ(c.estimate.p_value, expected.p_value);
  EXPECT_EQ(c.look, 1u);
  EXPECT_EQ(c.result, verdict::slower);
}

TEST(SequentialCostClaims, HolmCorrectsOverTheClaimsOfOneMetric) {
  const std::string other = "/warm/batch:3/workers:3/delay_ms:0";
  const auto claims = report::compute_claims({file_of({{thread, around(24)},
                                                       {async, around(20)},
                                                       {"thread_pool" + other, around(30, 0.2)},
                                                       {"async_pool" + other, around(31, 0.2)}})});
  std::vector<const report::workload_claim*> cpu;
  for (const auto& c : claims.costs) {
    if (c.metric == report::cost_metric::cpu)
      cpu.push_back(&c.claim);
  }
  ASSERT_EQ(cpu.size(), 2u);
  ASSERT_TRUE(cpu[0]->estimate.p_value && cpu[1]->estimate.p_value);
  ASSERT_TRUE(cpu[0]->corrected_p && cpu[1]->corrected_p);
  // Holm over two: the smaller p doubled (the time claims' family is
  // another one: they all tie, and do not count here).
  const auto smaller = std::min(*cpu[0]->estimate.p_value, *cpu[1]->estimate.p_value);
  EXPECT_DOUBLE_EQ(std::min(*cpu[0]->corrected_p, *cpu[1]->corrected_p),
                   std::min(1.0, 2 * smaller));
}

TEST(SequentialCostClaims, AWorkloadExtendedAfterLookingIsDecidedAtTheLaterLook) {
  // Noise over the first 9 (inconclusive), then 9 clearly apart: the rule
  // looks again at 18, where the time claim of this workload would.
  const auto cheap = joined(around(20, 0.3), around(20));
  const auto dear = joined(around(21, 0.3), around(30));
  const auto claims = report::compute_claims({file_of({{thread, dear}, {async, cheap}})});
  const auto& c = only_cpu_claim(claims).claim;
  EXPECT_EQ(c.look, 2u);
  EXPECT_EQ(c.estimate.base_values, 18u);
  EXPECT_EQ(c.result, verdict::slower);
  EXPECT_NE(report::claim_text(c, claims.rule).find("(extended to 18 a side)"), std::string::npos)
      << report::claim_text(c, claims.rule);
}

TEST(SequentialCostClaims, AClaimDecidedAtTheFirstLookKeepsItsVerdict) {
  // A tie over the first 9; 9 more 50% apart would sway one look over all
  // 18, never the first look's decision.
  const auto a = joined(around(20, 0.005), around(20, 0.005));
  const auto b = joined(around(20.1, 0.005), around(30, 0.005));
  const auto claims = report::compute_claims({file_of({{thread, a}, {async, b}})});
  const auto& c = only_cpu_claim(claims).claim;
  EXPECT_EQ(c.result, verdict::same);
  EXPECT_EQ(c.look, 1u);
  EXPECT_EQ(c.estimate.base_values, 9u);
}

TEST(SequentialCostClaims, TheLooksAreTheOnesTheFileRecords) {
  const nlohmann::json sequential = {
      {"settings",
       {{"alpha", 0.05}, {"margin", 0.05}, {"first_look", 5}, {"allowed_totals", {10}}}}};
  const auto claims = report::compute_claims(
      {file_of({{thread, joined(around(24), around(24))}, {async, joined(around(20), around(20))}},
               sequential)});
  const auto& c = only_cpu_claim(claims).claim;
  EXPECT_EQ(c.look, 1u);
  EXPECT_EQ(c.estimate.base_values, 5u);
}

TEST(SequentialCostClaims, ThePageTheTerminalAndTheAnswerPrintTheLevelUsed) {
  const auto claims =
      report::compute_claims({file_of({{thread, around(24)}, {async, around(20)}})});
  ASSERT_FALSE(claims.costs.empty());
  std::ostringstream page, terminal;
  report::write_claims_markdown(page, claims);
  report::print_summary(terminal, claims);
  EXPECT_NE(page.str().find("runner-up / cheapest [98.3% CI]"), std::string::npos) << page.str();
  EXPECT_NE(terminal.str().find("runner-up / cheapest [98.3% CI]"), std::string::npos)
      << terminal.str();
  for (const auto& text : {page.str(), terminal.str()})
    EXPECT_EQ(text.find("95%"), std::string::npos) << text;
  bool said = false;
  for (const auto& s : report::answer_sentences(claims)) {
    if (s.find("is cheapest") != std::string::npos) {
      said = true;
      EXPECT_NE(s.find("98.3% interval"), std::string::npos) << s;
    }
  }
  EXPECT_TRUE(said);
}

}  // namespace
