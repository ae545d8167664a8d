// The U test against scipy 1.10's mannwhitneyu(x, y, alternative='two-sided')
// (Debian's python3-scipy, as Google Benchmark's compare.py calls it); each
// expected value was printed by scipy and pasted here.

#include <poolbench/stats/mann_whitney.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace {

using poolbench::stats::mann_whitney_u;

TEST(MannWhitney, ExactWithoutTies) {
  // scipy: statistic 0.0, pvalue 0.05714285714285714 (= 2 / C(7, 3))
  const auto r =
      mann_whitney_u(std::vector<double>{1.1, 2.2, 3.3, 4.4}, std::vector<double>{5.5, 6.6, 7.7});
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 0);
  EXPECT_NEAR(r.p_value, 0.05714285714285714, 1e-15);
}

TEST(MannWhitney, ExactInterleaved) {
  const auto r =
      mann_whitney_u(std::vector<double>{1, 3, 5, 7, 9}, std::vector<double>{2, 4, 6, 8, 10, 12});
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 10);
  EXPECT_NEAR(r.p_value, 0.42857142857142855, 1e-14);
}

TEST(MannWhitney, ExactWhenOnlyOneSideIsSmall) {
  std::vector<double> y;
  for (int i = 0; i < 20; ++i)
    y.push_back(i);
  const auto r = mann_whitney_u(std::vector<double>{0.5, 1.5, 2.5, 3.5, 10.5, 11.5, 12.5, 13.5}, y);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 60);
  EXPECT_NEAR(r.p_value, 0.3284856850074242, 1e-13);
}

TEST(MannWhitney, TiesUseTheNormalApproximation) {
  const auto r =
      mann_whitney_u(std::vector<double>{1, 2, 2, 3}, std::vector<double>{2, 3, 4, 4, 5});
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 2.5);
  EXPECT_NEAR(r.p_value, 0.07854585095119067, 1e-12);
}

TEST(MannWhitney, LargeSamplesUseTheNormalApproximation) {
  std::vector<double> x, y;
  for (int i = 0; i < 12; ++i)
    x.push_back(i * 1.01);
  for (int i = 0; i < 10; ++i)
    y.push_back(i + 3.3);
  const auto r = mann_whitney_u(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 36);
  EXPECT_NEAR(r.p_value, 0.12125097588073802, 1e-12);
}

// u_test_method::exact_without_ties, against scipy's method='exact'.
TEST(MannWhitney, ExactWithoutTiesForNineRepetitionsASide) {
  std::vector<double> x, y;
  for (int i = 0; i < 9; ++i) {
    x.push_back(i);
    y.push_back(10 + i);
  }
  using poolbench::stats::u_test_method;
  // scipy 'auto' (compare.py): the normal approximation, 0.00041229480206169127.
  const auto approx = mann_whitney_u(x, y);
  EXPECT_FALSE(approx.exact);
  EXPECT_NEAR(approx.p_value, 0.00041229480206169127, 1e-15);
  // method='exact': 2 / C(18, 9) = 4.113533525298231e-05, the smallest p
  // 9 vs 9 repetitions can give. Times 85 benchmarks (Holm's first step) it
  // is 0.0035: significance stays reachable after the correction.
  const auto exact = mann_whitney_u(x, y, u_test_method::exact_without_ties);
  EXPECT_TRUE(exact.exact);
  EXPECT_NEAR(exact.p_value, 4.113533525298231e-05, 1e-18);
  EXPECT_LT(exact.p_value * 85, 0.05);
  // 12 vs 10 without ties: exact too (scipy: 0.12291114458297121).
  std::vector<double> a, b;
  for (int i = 0; i < 12; ++i)
    a.push_back(i * 1.01);
  for (int i = 0; i < 10; ++i)
    b.push_back(i + 3.3);
  EXPECT_NEAR(mann_whitney_u(a, b, u_test_method::exact_without_ties).p_value, 0.12291114458297121,
              1e-13);
  // Ties: the normal approximation with tie correction either way.
  const auto tied =
      mann_whitney_u(std::vector<double>{1, 2, 2, 3}, std::vector<double>{2, 3, 4, 4, 5},
                     u_test_method::exact_without_ties);
  EXPECT_FALSE(tied.exact);
  EXPECT_NEAR(tied.p_value, 0.07854585095119067, 1e-12);
}

TEST(MannWhitney, IdenticalAndSingleValues) {
  EXPECT_DOUBLE_EQ(
      mann_whitney_u(std::vector<double>{5, 5, 5}, std::vector<double>{5, 5, 5}).p_value, 1.0);
  EXPECT_DOUBLE_EQ(mann_whitney_u(std::vector<double>{1}, std::vector<double>{2}).p_value, 1.0);
}

TEST(MannWhitney, BadSamplesAreRejected) {
  EXPECT_THROW((void)mann_whitney_u(std::vector<double>{}, std::vector<double>{1}),
               std::invalid_argument);
  EXPECT_THROW((void)mann_whitney_u(std::vector<double>{NAN}, std::vector<double>{1}),
               std::invalid_argument);
}

}  // namespace
