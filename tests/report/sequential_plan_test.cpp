// The sequential rule on result files: what plan_second_stage() asks the
// runner for between the stages, the budget, and the final verdicts of
// evaluate_sequential() once the extra repetitions are in.

#include <poolbench/report/claims/sequential_plan.hpp>
#include <poolbench/report/input/load.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace {

namespace report = poolbench::report;
using report::verdict;

using benchmarks = std::vector<std::pair<std::string, std::vector<double>>>;

// Google Benchmark JSON: one iteration run per repetition mean (seconds), in
// the order given, as the runner writes them.
report::result_file synthetic(const benchmarks& list) {
  nlohmann::json doc;
  doc["context"] = {{"git_revision", "synthetic"}};
  doc["benchmarks"] = nlohmann::json::array();
  for (const auto& [name, means] : list) {
    for (double m : means) {
      doc["benchmarks"].push_back(
          {{"name", name}, {"run_type", "iteration"}, {"real_time", m}, {"time_unit", "s"}});
    }
  }
  return report::parse_result_text(doc.dump(), "synthetic.json");
}

// n repetition means around `centre`: the same nine relative offsets (times
// `spread`, mean 0) over and over, each round of nine shifted by 0.1% so
// that no two values tie. The first nine alone have exactly the mean.
std::vector<double> around(double centre, double spread, std::size_t n) {
  static const double offsets[] = {0, 1, -1, 0.5, -0.5, 0.8, -0.8, 0.2, -0.2};
  std::vector<double> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(centre * (1 + spread * offsets[i % 9]) *
                  (1 + 0.001 * static_cast<double>(i / 9)));
  return out;
}

std::vector<double> first(const std::vector<double>& v, std::size_t n) {
  return {v.begin(), v.begin() + static_cast<long>(n)};
}

const std::string win_a = "thread_pool/warm/batch:3/workers:3/delay_ms:0";
const std::string win_b = "async_pool/warm/batch:3/workers:3/delay_ms:0";
const std::string tie_a = "thread_pool/warm/batch:10/workers:4/delay_ms:0";
const std::string tie_b = "async_pool/warm/batch:10/workers:4/delay_ms:0";
const std::string open_a = "thread_pool/cold/batch:3/workers:3/delay_ms:0";
const std::string open_b = "async_pool/cold/batch:3/workers:3/delay_ms:0";

// A clear win (30%), a clear tie, and a 20% lead too noisy to decide from 9.
struct experiment {
  std::vector<double> wa = around(10e-3, 0.01, 27), wb = around(13e-3, 0.01, 27);
  std::vector<double> ta = around(20e-3, 0.005, 27), tb = around(20.1e-3, 0.005, 27);
  // CV 14%: the 98.3% interval from 9 a side reaches below 1.05.
  std::vector<double> oa = around(10e-3, 0.2, 27), ob = around(12e-3, 0.2, 27);
  report::result_file at(std::size_t extended) const {
    return synthetic({{win_a, first(wa, 9)},
                      {win_b, first(wb, 9)},
                      {tie_a, first(ta, 9)},
                      {tie_b, first(tb, 9)},
                      {open_a, first(oa, extended)},
                      {open_b, first(ob, extended)}});
  }
};

TEST(SequentialPlan, ExtendsOnlyTheUndecidedWorkload) {
  const experiment x;
  const auto plan = report::plan_second_stage({x.at(9)});
  ASSERT_EQ(plan.workloads_needing_more.size(), 1u);
  EXPECT_EQ(plan.workloads_needing_more[0], "batch=3 delay_ms=0 keepalive=0 mode=cold workers=3");
  ASSERT_EQ(plan.extensions.size(), 1u);
  const auto& e = plan.extensions[0];
  EXPECT_EQ(e.benchmarks, (std::vector<std::string>{open_a, open_b}));
  EXPECT_EQ(e.extra_repetitions, e.total - 9);
  EXPECT_TRUE(e.total == 18 || e.total == 27) << e.total;
  EXPECT_EQ(plan.extra_repetitions, 2 * e.extra_repetitions);
  EXPECT_TRUE(plan.over_budget.empty());

  const auto before = report::evaluate_sequential({x.at(9)});
  ASSERT_EQ(before.workloads.size(), 3u);
  EXPECT_EQ(before.workloads[0].claim.result, verdict::slower);  // the fastest wins
  EXPECT_EQ(before.workloads[1].claim.result, verdict::same);
  EXPECT_EQ(before.workloads[2].claim.result, verdict::inconclusive);
  EXPECT_EQ(before.workloads[2].planned_total, e.total);
}

TEST(SequentialPlan, DecidesAtTheLaterLookAndKeepsTheFirst) {
  const experiment x;
  const auto total = report::plan_second_stage({x.at(9)}).extensions.at(0).total;
  const auto after = report::evaluate_sequential({x.at(total)});
  ASSERT_EQ(after.workloads.size(), 3u);
  const auto& open = after.workloads[2];
  EXPECT_EQ(open.look, 2u);
  EXPECT_EQ(open.repetitions, total);
  EXPECT_EQ(open.claim.estimate.base_values, total);
  EXPECT_EQ(open.claim.result, verdict::slower) << report::claim_text(open.claim, {});
  EXPECT_EQ(open.fastest_benchmark, open_a);
  // Holm at the later look counts every workload claim (the two decided at
  // the first look with p = 1), not only the one that is there.
  ASSERT_TRUE(open.claim.corrected_p && open.claim.estimate.p_value);
  EXPECT_DOUBLE_EQ(*open.claim.corrected_p, std::min(1.0, 3 * *open.claim.estimate.p_value));
  // The first look is recomputed from the first 9 repetitions: the decided
  // claims say what they said between the stages.
  const auto before = report::evaluate_sequential({x.at(9)});
  for (std::size_t i : {0u, 1u}) {
    EXPECT_EQ(after.workloads[i].look, 1u);
    EXPECT_EQ(after.workloads[i].claim.result, before.workloads[i].claim.result);
    EXPECT_EQ(after.workloads[i].claim.corrected_p, before.workloads[i].claim.corrected_p);
  }
  // More repetitions than the last allowed total reached use that total.
  const auto beyond = report::evaluate_sequential({x.at(total == 18 ? 20 : 27)});
  EXPECT_EQ(beyond.workloads[2].repetitions, total == 18 ? 18u : 27u);
}

TEST(SequentialPlan, BudgetServesWhatFits) {
  const experiment x;
  const auto one_second = [](const report::benchmark_result&) { return 1.0; };
  // Both sides cost 2 s a repetition: 18 s buys 9 more a side, not 18.
  const auto tight = report::plan_second_stage({x.at(9)}, {}, 18.0, one_second);
  ASSERT_EQ(tight.extensions.size(), 1u);
  EXPECT_EQ(tight.extensions[0].total, 18u);
  EXPECT_DOUBLE_EQ(tight.extensions[0].seconds, 18.0);
  EXPECT_LE(tight.seconds, 18.0);
  const auto none = report::plan_second_stage({x.at(9)}, {}, 17.0, one_second);
  EXPECT_TRUE(none.extensions.empty());
  EXPECT_EQ(none.over_budget.size(), 1u);
  EXPECT_EQ(none.extra_repetitions, 0u);
}

// Two undecided workloads and time for one extension: the one nearer a
// decision (less noise, the same lead) is served, the other is over budget.
TEST(SequentialPlan, BudgetServesTheNearestDecisionFirst) {
  const std::string far_a = "thread_pool/warm/batch:100/workers:16/delay_ms:10";
  const std::string far_b = "async_pool/warm/batch:100/workers:16/delay_ms:10";
  const auto file = synthetic({{far_a, around(10e-3, 0.35, 9)},
                               {far_b, around(12e-3, 0.35, 9)},
                               {open_a, around(10e-3, 0.2, 9)},
                               {open_b, around(12e-3, 0.2, 9)}});
  const auto one_second = [](const report::benchmark_result&) { return 1.0; };
  const auto plan = report::plan_second_stage({file}, {}, 18.0, one_second);
  ASSERT_EQ(plan.workloads_needing_more.size(), 2u);
  ASSERT_EQ(plan.extensions.size(), 1u);
  EXPECT_EQ(plan.extensions[0].benchmarks[0], open_a);
  ASSERT_EQ(plan.over_budget.size(), 1u);
  EXPECT_EQ(plan.over_budget[0], "batch=100 delay_ms=10 keepalive=0 mode=warm workers=16");
}

TEST(SequentialRule, LevelsSplitAlphaOverTheLooks) {
  report::sequential_settings s;
  EXPECT_EQ(report::look_count(s), 3u);
  EXPECT_DOUBLE_EQ(report::look_alpha(s), 0.05 / 3);
  EXPECT_DOUBLE_EQ(report::look_confidence(s), 1 - 0.05 / 3);
  EXPECT_EQ(report::cap_of(s), 27u);
  s.later_looks = {18};
  EXPECT_DOUBLE_EQ(report::look_alpha(s), 0.025);
  s.later_looks = {18, 18};
  EXPECT_THROW(report::validate(s), std::invalid_argument);
  s.later_looks = {9};
  EXPECT_THROW(report::validate(s), std::invalid_argument);
  s.later_looks = {18};
  s.rule.alpha = 0;
  EXPECT_THROW(report::validate(s), std::invalid_argument);
}

// The projection: an interval twice as wide as the room to the margin needs
// four times the repetitions; a ratio on the margin can never be decided.
TEST(SequentialRule, ProjectionScalesWithTheSquareOfTheWidth) {
  const report::sequential_settings s;
  report::look_estimate e;
  e.repetitions = 9;
  e.ratio = 1.0;
  const double room = std::log(1.05);
  e.ratio_interval = report::interval{std::exp(-2 * room), std::exp(2 * room)};
  EXPECT_NEAR(report::projected_repetitions(e, s), 36, 1e-9);
  EXPECT_EQ(report::planned_total(e, s), 27u);  // beyond the cap: the cap
  e.ratio_interval = report::interval{std::exp(-1.2 * room), std::exp(1.2 * room)};
  EXPECT_NEAR(report::projected_repetitions(e, s), 9 * 1.44, 1e-9);
  EXPECT_EQ(report::planned_total(e, s), 18u);
  e.ratio = 1.05;
  e.ratio_interval = report::interval{1.0, 1.1};
  EXPECT_TRUE(std::isinf(report::projected_repetitions(e, s)));
  e.ratio_interval.reset();
  EXPECT_TRUE(std::isnan(report::projected_repetitions(e, s)));
}

}  // namespace

// Budget left once every workload has its planned total raises extensions
// towards the cap, nearest decision first; an unlimited budget keeps the
// planned totals (the projection alone).
TEST(SequentialPlan, BudgetLeftOverRaisesExtensionsTowardsTheCap) {
  // A 12% lead at CV 10%: the projection asks for 18, not the cap.
  const auto file = synthetic({{open_a, around(10e-3, 0.1, 9)}, {open_b, around(11.2e-3, 0.1, 9)}});
  const auto unlimited = report::plan_second_stage({file});
  ASSERT_EQ(unlimited.extensions.size(), 1u);
  ASSERT_EQ(unlimited.extensions[0].total, 18u);
  const auto one_second = [](const report::benchmark_result&) { return 1.0; };
  // 2 s a repetition (both sides): 18 s reach 18, 36 s reach 27, 35 s do not.
  const auto enough = report::plan_second_stage({file}, {}, 36.0, one_second);
  ASSERT_EQ(enough.extensions.size(), 1u);
  EXPECT_EQ(enough.extensions[0].total, 27u);
  EXPECT_EQ(enough.extensions[0].extra_repetitions, 18u);
  EXPECT_DOUBLE_EQ(enough.extensions[0].seconds, 36.0);
  EXPECT_DOUBLE_EQ(enough.seconds, 36.0);
  EXPECT_EQ(enough.extra_repetitions, 36u);
  const auto short_of_it = report::plan_second_stage({file}, {}, 35.0, one_second);
  EXPECT_EQ(short_of_it.extensions.at(0).total, 18u);
  EXPECT_DOUBLE_EQ(short_of_it.seconds, 18.0);
}
