// Holm's step-down adjustment against values worked by hand (and as
// statsmodels' multipletests(method='holm') gives them).

#include <poolbench/stats/holm.hpp>

#include <gtest/gtest.h>

#include <optional>
#include <vector>

namespace {

using poolbench::stats::holm_adjust;

TEST(Holm, StepDownMonotoneAndCapped) {
  // Sorted: 0.005 x4 = 0.02, 0.01 x3 = 0.03, 0.03 x2 = 0.06, 0.04 x1 = 0.04
  // -> raised to 0.06 to stay monotone.
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const auto a = holm_adjust(p);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_DOUBLE_EQ(a[0], 0.03);
  EXPECT_DOUBLE_EQ(a[1], 0.06);
  EXPECT_DOUBLE_EQ(a[2], 0.06);
  EXPECT_DOUBLE_EQ(a[3], 0.02);
  const auto capped = holm_adjust(std::vector<double>{0.5, 0.9});
  EXPECT_DOUBLE_EQ(capped[0], 1.0);
  EXPECT_DOUBLE_EQ(capped[1], 1.0);
  EXPECT_TRUE(holm_adjust(std::vector<double>{}).empty());
  EXPECT_DOUBLE_EQ(holm_adjust(std::vector<double>{0.02})[0], 0.02);
}

TEST(Holm, MissingValuesStayMissingAndDoNotCount) {
  const std::vector<std::optional<double>> p = {0.01, std::nullopt, 0.04};
  const auto a = poolbench::stats::holm_adjust_present(p);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_DOUBLE_EQ(*a[0], 0.02);  // m = 2, not 3
  EXPECT_FALSE(a[1].has_value());
  EXPECT_DOUBLE_EQ(*a[2], 0.04);
}

}  // namespace
