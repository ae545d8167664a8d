// Statistics against values computed by hand and checked with
// pytest_benchmark.stats.Stats (3.2.2): odd and even counts, ties, the
// outlier rules, one round, no rounds, NaN.

#include <poolbench/stats/statistics.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace {

using poolbench::stats::compute_statistics;

TEST(Statistics, OddCountOneModFour) {
  const std::vector<double> data = {1, 2, 3, 4, 5};
  const auto s = compute_statistics(data);
  EXPECT_EQ(s.rounds, 5u);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  EXPECT_DOUBLE_EQ(s.stddev, 1.5811388300841898);  // sample stddev, n - 1
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.q1, 1.75);  // 0.25 * x[0] + 0.75 * x[1]
  EXPECT_DOUBLE_EQ(s.q3, 4.25);  // 0.75 * x[3] + 0.25 * x[4]
  EXPECT_DOUBLE_EQ(s.iqr, 2.5);
  EXPECT_DOUBLE_EQ(s.ops, 1.0 / 3.0);
  EXPECT_EQ(s.outliers(), "2;0");
}

TEST(Statistics, OddCountThreeModFour) {
  const std::vector<double> data = {7, 1, 6, 2, 5, 3, 4};  // unsorted on purpose
  const auto s = compute_statistics(data);
  EXPECT_DOUBLE_EQ(s.q1, 2.25);  // 0.75 * x[1] + 0.25 * x[2]
  EXPECT_DOUBLE_EQ(s.q3, 5.75);  // 0.25 * x[4] + 0.75 * x[5]
  EXPECT_DOUBLE_EQ(s.median, 4);
  EXPECT_DOUBLE_EQ(s.stddev, 2.160246899469287);
  EXPECT_EQ(s.outliers(), "2;0");
}

TEST(Statistics, EvenCountUsesMedianOfHalves) {
  const auto four = compute_statistics(std::vector<double>{1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(four.median, 2.5);
  EXPECT_DOUBLE_EQ(four.q1, 1.5);
  EXPECT_DOUBLE_EQ(four.q3, 3.5);
  const auto six = compute_statistics(std::vector<double>{4, 1, 3, 2, 5, 6});
  EXPECT_DOUBLE_EQ(six.median, 3.5);
  EXPECT_DOUBLE_EQ(six.q1, 2);
  EXPECT_DOUBLE_EQ(six.q3, 5);
  EXPECT_DOUBLE_EQ(six.stddev, 1.8708286933869707);
}

TEST(Statistics, TiesAndOneFarOutlier) {
  const auto s = compute_statistics(std::vector<double>{1, 1, 1, 1, 100});
  EXPECT_DOUBLE_EQ(s.median, 1);
  EXPECT_DOUBLE_EQ(s.q1, 1);
  EXPECT_DOUBLE_EQ(s.q3, 25.75);
  EXPECT_DOUBLE_EQ(s.mean, 20.8);
  EXPECT_DOUBLE_EQ(s.stddev, 44.274145954495836);
  // 100 is beyond mean + stddev (65.07) and beyond q3 + 1.5 iqr (62.875).
  EXPECT_EQ(s.outliers(), "1;1");
}

TEST(Statistics, IqrOutlierInTen) {
  const auto s = compute_statistics(std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 40});
  EXPECT_DOUBLE_EQ(s.q1, 3);
  EXPECT_DOUBLE_EQ(s.q3, 8);
  EXPECT_DOUBLE_EQ(s.median, 5.5);
  EXPECT_DOUBLE_EQ(s.stddev, 11.36515141415488);
  EXPECT_EQ(s.stddev_outliers, 1);
  EXPECT_EQ(s.iqr_outliers, 1);  // 40 > 8 + 7.5
}

TEST(Statistics, AllEqual) {
  const auto s = compute_statistics(std::vector<double>{2, 2, 2, 2});
  EXPECT_DOUBLE_EQ(s.stddev, 0);
  EXPECT_DOUBLE_EQ(s.iqr, 0);
  EXPECT_EQ(s.outliers(), "0;0");
  EXPECT_DOUBLE_EQ(s.ops, 0.5);
}

TEST(Statistics, OneRound) {
  const auto s = compute_statistics(std::vector<double>{7});
  EXPECT_EQ(s.rounds, 1u);
  EXPECT_DOUBLE_EQ(s.stddev, 0);  // as pytest-benchmark, not NaN
  EXPECT_DOUBLE_EQ(s.q1, 7);
  EXPECT_DOUBLE_EQ(s.q3, 7);
  EXPECT_EQ(s.outliers(), "0;0");
}

TEST(Statistics, NoRoundsIsAllUnknown) {
  const auto s = compute_statistics(std::vector<double>{});
  EXPECT_EQ(s.rounds, 0u);
  EXPECT_TRUE(std::isnan(s.mean));
  EXPECT_TRUE(std::isnan(s.min));
  EXPECT_TRUE(std::isnan(s.ops));
  EXPECT_EQ(s.outliers(), "n/a");
}

TEST(Statistics, NonFiniteValuesAreIgnored) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const auto s = compute_statistics(std::vector<double>{nan, 3, inf, 1, 2});
  EXPECT_EQ(s.rounds, 3u);
  EXPECT_DOUBLE_EQ(s.mean, 2);
  EXPECT_DOUBLE_EQ(s.q1, 1.25);
  EXPECT_DOUBLE_EQ(s.q3, 2.75);
  const auto none = compute_statistics(std::vector<double>{nan, nan});
  EXPECT_EQ(none.rounds, 0u);
}

TEST(Statistics, ZeroTimesGiveZeroOps) {
  const auto s = compute_statistics(std::vector<double>{0, 0});
  EXPECT_DOUBLE_EQ(s.ops, 0);  // pytest-benchmark: 0 when the total is 0
}

}  // namespace
