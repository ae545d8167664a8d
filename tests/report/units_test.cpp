// Unit choice, number formatting and ratio text, as pytest-benchmark's
// utils.time_unit/operations_unit, "{:,.4f}" and compute_baseline_scale.

#include <poolbench/report/tables/units.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace {

namespace report = poolbench::report;

TEST(Units, TimeUnitBoundaries) {
  EXPECT_EQ(report::time_scale_for(5e-10).prefix, "n");
  EXPECT_EQ(report::time_scale_for(1e-6).prefix, "u");  // not below 1e-6
  EXPECT_EQ(report::time_scale_for(9.99e-4).prefix, "u");
  EXPECT_EQ(report::time_scale_for(1e-3).prefix, "m");
  EXPECT_EQ(report::time_scale_for(0.9).prefix, "m");
  EXPECT_EQ(report::time_scale_for(1).prefix, "");
  EXPECT_EQ(report::time_scale_for(120).prefix, "");
  EXPECT_DOUBLE_EQ(report::time_scale_for(0.01).factor, 1e3);
  EXPECT_EQ(report::time_scale_for(NAN).prefix, "");
}

TEST(Units, OpsUnit) {
  EXPECT_EQ(report::ops_scale_for(999).prefix, "");
  EXPECT_EQ(report::ops_scale_for(1000).prefix, "");  // strictly above
  EXPECT_EQ(report::ops_scale_for(1001).prefix, "K");
  EXPECT_EQ(report::ops_scale_for(2e6).prefix, "M");
}

TEST(Units, NumbersAsPythonFormatsThem) {
  EXPECT_EQ(report::format_number(9.04641), "9.0464");
  EXPECT_EQ(report::format_number(0), "0.0000");
  EXPECT_EQ(report::format_number(999.99995), "1,000.0000");
  EXPECT_EQ(report::format_number(1234567.891), "1,234,567.8910");
  EXPECT_EQ(report::format_number(123456.5), "123,456.5000");
  EXPECT_EQ(report::format_number(-1234.5), "-1,234.5000");
  EXPECT_EQ(report::format_number(NAN), "n/a");
  EXPECT_EQ(report::format_number(INFINITY), "inf");
}

TEST(Units, Ratios) {
  EXPECT_EQ(report::format_ratio(9.0464, 9.0464), "(1.0)");
  EXPECT_EQ(report::format_ratio(9.0464, 10.6764), "(1.18)");
  EXPECT_EQ(report::format_ratio(0.8462, 3.0807), "(3.64)");
  EXPECT_EQ(report::format_ratio(1, 1000.5), "(>1000.0)");
  EXPECT_EQ(report::format_ratio(0, 1), "(inf)");
  EXPECT_EQ(report::format_ratio(0, 0), "(1.0)");
  EXPECT_EQ(report::format_ratio(829.0, 333.5), "(0.40)");  // OPS: below 1
  EXPECT_EQ(report::format_ratio(NAN, 1), "");
}

}  // namespace
