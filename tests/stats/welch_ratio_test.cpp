// Student's t against published table values, and the log-scale Welch
// interval of a ratio of means against a hand computation.

#include <poolbench/stats/student_t.hpp>
#include <poolbench/stats/welch_ratio.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <iterator>
#include <stdexcept>
#include <vector>

namespace {

namespace stats = poolbench::stats;

TEST(StudentT, MatchesTables) {
  // Quantiles to four decimals (any t table; e.g. NIST/SEMATECH 1.3.6.7.2).
  EXPECT_NEAR(stats::student_t_quantile(0.975, 1), 12.706, 1e-3);
  EXPECT_NEAR(stats::student_t_quantile(0.995, 10), 3.1693, 1e-4);
  EXPECT_NEAR(stats::student_t_quantile(0.99, 16), 2.5835, 1e-4);
  EXPECT_NEAR(stats::student_t_quantile(0.95, 100), 1.6602, 1e-4);
  EXPECT_NEAR(stats::student_t_quantile(0.025, 8), -2.3060, 1e-4);
  // t(0.975, nu) for nu = 1..30 as every statistics table prints it, then
  // beyond the table (Abramowitz & Stegun 26.7.5).
  static constexpr double table[] = {
      12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
      2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
      2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  for (std::size_t nu = 1; nu <= std::size(table); ++nu)
    EXPECT_NEAR(stats::student_t_quantile(0.975, static_cast<double>(nu)), table[nu - 1], 1e-4)
        << nu;
  EXPECT_NEAR(stats::student_t_quantile(0.975, 40), 2.021075, 1e-6);
  EXPECT_NEAR(stats::student_t_quantile(0.975, 1000), 1.962339, 1e-6);
  EXPECT_DOUBLE_EQ(stats::student_t_cdf(0, 5), 0.5);
  EXPECT_NEAR(stats::student_t_cdf(2.2281, 10), 0.975, 1e-5);
  EXPECT_NEAR(stats::student_t_cdf(-2.2281, 10), 0.025, 1e-5);
  EXPECT_THROW((void)stats::student_t_quantile(1.0, 5), std::invalid_argument);
  EXPECT_THROW((void)stats::student_t_cdf(1.0, 0), std::invalid_argument);
}

TEST(WelchRatio, HandComputed) {
  // base: mean 10, s^2 = 2; candidate: mean 12, s^2 = 1.
  const std::vector<double> base = {9, 11}, candidate = {11, 13, 12};
  // log ratio = log(12 / 10); se^2 = 2 / (2 * 100) + 1 / (3 * 144).
  const double b = 2.0 / (2 * 100), c = 1.0 / (3 * 144);
  const double nu = (b + c) * (b + c) / (b * b / 1 + c * c / 2);
  const double half = stats::student_t_quantile(0.975, nu) * std::sqrt(b + c);
  const auto ci = stats::welch_ratio_interval(base, candidate, 0.95);
  ASSERT_TRUE(ci);
  EXPECT_NEAR(ci->low, 1.2 * std::exp(-half), 1e-12);
  EXPECT_NEAR(ci->high, 1.2 * std::exp(half), 1e-12);
  // Wider at a higher confidence.
  const auto wide = stats::welch_ratio_interval(base, candidate, 0.99);
  EXPECT_LT(wide->low, ci->low);
  EXPECT_GT(wide->high, ci->high);
  // Nothing to say from one value, or a mean that is not positive.
  EXPECT_FALSE(stats::welch_ratio_interval(std::vector<double>{1}, candidate, 0.95));
  EXPECT_FALSE(stats::welch_ratio_interval(std::vector<double>{-1, 1}, candidate, 0.95));
  // No spread at all: the interval is the ratio.
  const auto flat =
      stats::welch_ratio_interval(std::vector<double>{2, 2}, std::vector<double>{3, 3}, 0.95);
  EXPECT_DOUBLE_EQ(flat->low, 1.5);
  EXPECT_DOUBLE_EQ(flat->high, 1.5);
}

}  // namespace
