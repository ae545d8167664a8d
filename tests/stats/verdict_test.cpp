// The decision rule: slower/faster need the corrected test and the whole
// interval beyond the threshold; same needs the whole interval inside it.

#include <poolbench/stats/verdict.hpp>

#include <gtest/gtest.h>

namespace {

namespace stats = poolbench::stats;
using stats::decide;
using stats::interval;
using stats::verdict;

TEST(Verdict, Rule) {
  const stats::decision_rule rule;  // alpha 0.05, threshold 5%
  EXPECT_EQ(decide(interval{1.08, 1.20}, 0.01, rule), verdict::slower);
  EXPECT_EQ(decide(interval{0.80, 0.90}, 0.01, rule), verdict::faster);
  // Beyond the threshold but not significant after correction.
  EXPECT_EQ(decide(interval{1.08, 1.20}, 0.2, rule), verdict::inconclusive);
  // Significant, but the interval reaches into the margin.
  EXPECT_EQ(decide(interval{1.03, 1.20}, 0.001, rule), verdict::inconclusive);
  // Inside the margin: the same, significant or not.
  EXPECT_EQ(decide(interval{0.97, 1.04}, 0.5, rule), verdict::same);
  EXPECT_EQ(decide(interval{1.01, 1.04}, 0.001, rule), verdict::same);
  EXPECT_EQ(decide(interval{1.0, 1.049}, std::nullopt, rule), verdict::same);
  EXPECT_EQ(decide(std::nullopt, std::nullopt, rule), verdict::inconclusive);
  stats::decision_rule wide;
  wide.threshold = 0.25;
  EXPECT_EQ(decide(interval{1.08, 1.20}, 0.01, wide), verdict::same);
  EXPECT_STREQ(stats::to_string(verdict::inconclusive), "inconclusive");
}

}  // namespace
