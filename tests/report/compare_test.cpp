// compare: verdicts on synthetic samples and on the fixtures, benchmarks in
// one file only, and the --fail-above rule.

#include "test_support.hpp"

#include <poolbench/report/compare.hpp>
#include <poolbench/report/load.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;

report::benchmark_result synthetic(const std::string& name, std::vector<double> samples) {
  report::benchmark_result r;
  r.name = name;
  r.samples = std::move(samples);
  r.stats = report::compute_statistics(r.samples);
  return r;
}

report::result_file file_of(std::vector<report::benchmark_result> benchmarks,
                            const std::string& path) {
  report::result_file f;
  f.path = path;
  f.benchmarks = std::move(benchmarks);
  return f;
}

TEST(Compare, VerdictsOnSyntheticSamples) {
  const std::vector<double> base = {10, 11, 12, 10.5, 11.5, 10.2, 11.8, 10.9, 11.1, 10.7};
  std::vector<double> slower, faster, noisy;
  for (double v : base) {
    slower.push_back(v * 1.5);
    faster.push_back(v * 0.5);
  }
  noisy = {11.2, 10.1, 11.9, 10.4, 11.6, 10.3, 11.7, 10.8, 11.0, 10.6};  // same spread
  const auto old_file = file_of(
      {synthetic("a", base), synthetic("b", base), synthetic("c", base), synthetic("d", {1.0})},
      "old.json");
  const auto new_file = file_of({synthetic("a", slower), synthetic("b", faster),
                                 synthetic("c", noisy), synthetic("d", {2.0})},
                                "new.json");
  const auto r = report::compare_results(old_file, new_file);
  ASSERT_EQ(r.common.size(), 4u);
  EXPECT_EQ(r.common[0].result, report::verdict::slower);
  EXPECT_NEAR(r.common[0].mean_change, 0.5, 1e-12);
  EXPECT_EQ(r.common[1].result, report::verdict::faster);
  EXPECT_NEAR(r.common[1].mean_change, -0.5, 1e-12);
  EXPECT_EQ(r.common[2].result, report::verdict::same);
  EXPECT_GT(*r.common[2].p_value, 0.05);
  EXPECT_EQ(r.common[3].result, report::verdict::unknown);  // one value a side
  EXPECT_FALSE(r.common[3].p_value.has_value());
}

TEST(Compare, FixturesAndBenchmarksInOneFileOnly) {
  const auto base = report::load_result_file(fixture("poolbench_base.json"));
  const auto next = report::load_result_file(fixture("poolbench_new.json"));
  const auto r = report::compare_results(base, next);
  ASSERT_EQ(r.common.size(), 4u);
  EXPECT_EQ(r.common[0].name, "serial/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(r.common[0].result, report::verdict::faster);
  // p-values printed by scipy's mannwhitneyu on the same 18 vs 18 samples.
  EXPECT_NEAR(*r.common[0].p_value, 3.2278370106587223e-07, 1e-15);
  EXPECT_NEAR(*r.common[1].p_value, 0.22319125752825608, 1e-12);
  EXPECT_EQ(r.common[1].result, report::verdict::same);
  EXPECT_EQ(r.common[2].result, report::verdict::same);  // identical samples
  EXPECT_DOUBLE_EQ(*r.common[2].p_value, 1.0);
  EXPECT_EQ(r.common[3].name, "async_pool/cold/batch:3/workers:3/delay_ms:0");
  EXPECT_EQ(r.common[3].result, report::verdict::slower);
  EXPECT_EQ(r.only_in_base,
            std::vector<std::string>{"process_pool/warm/batch:3/workers:3/delay_ms:0"});
  EXPECT_EQ(r.only_in_candidate,
            std::vector<std::string>{"async_pool/warm/batch:3/workers:3/delay_ms:0"});

  EXPECT_EQ(report::regressions(r, 5).size(), 1u);   // async_pool/cold is ~25% slower
  EXPECT_EQ(report::regressions(r, 30).size(), 0u);  // but not 30%

  std::ostringstream text;
  report::write_comparison(text, r);
  EXPECT_NE(text.str().find("Only in old"), std::string::npos);
  EXPECT_NE(text.str().find("Only in new"), std::string::npos);
  EXPECT_NE(text.str().find("slower"), std::string::npos);
}

TEST(Compare, PlainGoogleBenchmarkUsesRepetitions) {
  const auto f = report::load_result_file(fixture("google_benchmark_plain.json"));
  const auto r = report::compare_results(f, f);
  ASSERT_EQ(r.common.size(), 2u);
  EXPECT_EQ(r.common[0].base_values, 4u);
  EXPECT_EQ(r.common[0].result, report::verdict::same);
  const auto aggregates =
      report::load_result_file(fixture("google_benchmark_aggregates_only.json"));
  EXPECT_EQ(report::compare_results(aggregates, aggregates).common[0].result,
            report::verdict::unknown);
}

}  // namespace
