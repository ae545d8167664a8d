// The drift check: Spearman's rho against repetition order, its exact
// two-sided p for small n, Holm over the benchmarks, and A/A data (no drift
// anywhere) flagged in at most alpha of simulated files.
#include <poolbench/report/claims/drift.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

namespace poolbench::report {
namespace {

benchmark_result bench(std::string name, std::vector<double> means) {
  benchmark_result b;
  b.name = std::move(name);
  b.repetition_means = std::move(means);
  return b;
}

result_file file_of(std::vector<benchmark_result> benchmarks) {
  result_file f;
  f.path = "run.json";
  f.benchmarks = std::move(benchmarks);
  return f;
}

// Uniform in [0, 1) from the generator's raw bits: the same everywhere.
double uniform(std::mt19937_64& g) {
  return static_cast<double>(g() >> 11) * 0x1.0p-53;
}

TEST(drift, rho_of_hand_computed_orders) {
  EXPECT_DOUBLE_EQ(spearman_rho_against_order(std::vector<double>{1, 2, 3, 4, 5}), 1.0);
  EXPECT_DOUBLE_EQ(spearman_rho_against_order(std::vector<double>{9, 7, 5, 3, 1}), -1.0);
  // Ranks 1 3 2 4 5: D = 2, rho = 1 - 6 * 2 / (125 - 5) = 0.9.
  EXPECT_NEAR(spearman_rho_against_order(std::vector<double>{1.0, 1.3, 1.2, 1.4, 1.5}), 0.9, 1e-12);
  // A tie takes the mean of its ranks; constant values correlate with nothing.
  EXPECT_DOUBLE_EQ(spearman_rho_against_order(std::vector<double>{2, 2, 2, 2}), 0.0);
  EXPECT_THROW((void)spearman_rho_against_order(std::vector<double>{1}), std::invalid_argument);
}

TEST(drift, exact_p_counts_permutations) {
  // n = 5, |rho| = 1: the two monotone orders of 120.
  EXPECT_NEAR(spearman_p_two_sided(1.0, 5), 2.0 / 120, 1e-12);
  // n = 5, |rho| >= 0.9: D = 0 (1 order) or 2 (4 adjacent swaps), each side.
  EXPECT_NEAR(spearman_p_two_sided(0.9, 5), 10.0 / 120, 1e-12);
  EXPECT_NEAR(spearman_p_two_sided(-0.9, 5), 10.0 / 120, 1e-12);
  EXPECT_DOUBLE_EQ(spearman_p_two_sided(0.0, 5), 1.0);
  // n = 9: 2 of 9! orders are perfectly monotone.
  EXPECT_NEAR(spearman_p_two_sided(1.0, 9), 2.0 / 362880, 1e-15);
  EXPECT_THROW((void)spearman_p_two_sided(0.5, 2), std::invalid_argument);
}

TEST(drift, large_n_uses_the_t_approximation) {
  // n = 30, rho = 0.5: t = 0.5 * sqrt(28 / 0.75) = 3.055, two-sided p about 0.0049.
  EXPECT_NEAR(spearman_p_two_sided(0.5, 30), 0.0049, 0.0003);
  EXPECT_DOUBLE_EQ(spearman_p_two_sided(1.0, 30), 0.0);
}

TEST(drift, a_steady_rise_is_flagged_with_its_size_and_steady_benchmarks_are_not) {
  std::mt19937_64 g(11);
  std::vector<benchmark_result> benchmarks;
  std::vector<double> rising;
  for (int i = 0; i < 9; ++i)
    rising.push_back((1.0 + (0.04 * i)) * (1.0 + (0.004 * (uniform(g) - 0.5))));
  benchmarks.push_back(bench("process_pool/warm/batch:100/workers:1/delay_ms:0", rising));
  for (int k = 0; k < 20; ++k) {
    std::vector<double> steady;
    for (int i = 0; i < 9; ++i)
      steady.push_back(1.0 + (0.05 * uniform(g)));
    benchmarks.push_back(bench(std::string("steady/").append(std::to_string(k)), steady));
  }
  benchmarks.push_back(bench("too_few", {1, 2, 3, 4}));  // n < 5: not tested
  auto failed = bench("failed", {1, 2, 3, 4, 5, 6});
  failed.error = "wrong body";
  benchmarks.push_back(failed);

  const auto report = detect_drift({file_of(benchmarks)});
  EXPECT_EQ(report.tested, 21u);
  ASSERT_EQ(report.drifting.size(), 1u);
  const auto& f = report.drifting.front();
  EXPECT_EQ(f.benchmark, "process_pool/warm/batch:100/workers:1/delay_ms:0");
  EXPECT_EQ(f.repetitions, 9u);
  EXPECT_DOUBLE_EQ(f.rho, 1.0);
  EXPECT_NEAR(f.corrected_p, 21 * 2.0 / 362880, 1e-12);  // Holm: the smallest of 21
  // First third means 1.04, last third 1.28: +23%.
  EXPECT_NEAR(f.change, 1.28 / 1.04 - 1, 0.005);
  EXPECT_EQ(drift_text(report),
            "drift: 1 of 21 benchmarks changed with their repetition order (Spearman, Holm p < "
            "0.05): process_pool/warm/batch:100/workers:1/delay_ms:0 +23%; last third against "
            "first third (medians) within ±15% for 20 of 21, the largest "
            "process_pool/warm/batch:100/workers:1/delay_ms:0 +23%");
  EXPECT_EQ(report.within_tolerance, 20u);
  ASSERT_TRUE(report.largest);
  EXPECT_NEAR(report.largest->median_change, 1.28 / 1.04 - 1, 0.005);
}

TEST(drift, order_tolerance_counts_medians_so_one_slow_repetition_does_not_break_it) {
  // One repetition of the last third 40% slow (a neighbour's hiccup): the
  // mean of the thirds moves 13%, the median not at all.
  const auto report = detect_drift({file_of({bench("a", {1, 1, 1, 1, 1, 1, 1.4, 1, 1})})});
  EXPECT_EQ(report.within_tolerance, 1u);
  ASSERT_TRUE(report.largest);
  EXPECT_NEAR(report.largest->change, 0.1333, 1e-3);
  EXPECT_DOUBLE_EQ(report.largest->median_change, 0.0);
  // Slower by 20% from the middle on: outside ±15%.
  const auto moved = detect_drift({file_of({bench("b", {1, 1, 1, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2})})});
  EXPECT_EQ(moved.within_tolerance, 0u);
  ASSERT_TRUE(moved.largest);
  EXPECT_NEAR(moved.largest->median_change, 0.2, 1e-12);
}

TEST(drift, pytest_rounds_are_not_repetitions_in_order) {
  auto f = file_of({bench("test_serial", {1, 2, 3, 4, 5, 6, 7, 8, 9})});
  f.format = source_format::pytest_benchmark;
  EXPECT_EQ(detect_drift({f}).tested, 0u);
  f.format = source_format::poolbench;
  EXPECT_EQ(detect_drift({f}).tested, 1u);
}

TEST(drift, nothing_to_say_without_drift) {
  EXPECT_EQ(drift_text(detect_drift({})), "");
  EXPECT_EQ(drift_text(detect_drift({file_of({bench("a", {1, 1.01, 0.99, 1, 1.02, 0.98})})})),
            "order: none of 1 benchmarks changed with its repetition order (Spearman, Holm p < "
            "0.05); last third against first third (medians) within ±15% for 1 of 1, the largest "
            "a +0%");
}

// A/A: 400 files of 30 benchmarks of 9 independent repetitions each, from
// three shapes (uniform, skewed, bimodal). The family-wise error of Holm over
// an exact test is at most alpha = 5 %; 400 trials give a standard error of
// about 1.1 points at 5 %.
TEST(drift, aa_files_are_flagged_in_at_most_alpha_of_runs) {
  std::mt19937_64 g(20261201);
  int flagged = 0;
  const int trials = 400;
  for (int t = 0; t < trials; ++t) {
    std::vector<benchmark_result> benchmarks;
    for (int k = 0; k < 30; ++k) {
      std::vector<double> m;
      for (int i = 0; i < 9; ++i) {
        const double u = uniform(g);
        if (k % 3 == 0)
          m.push_back(1.0 + (0.1 * u));
        else if (k % 3 == 1)
          m.push_back(1.0 + (0.3 * u * u * u));  // skewed
        else
          m.push_back(u < 0.75 ? 1.0 + (0.02 * uniform(g)) : 1.4 + (0.02 * uniform(g)));
      }
      benchmarks.push_back(bench(std::string("b").append(std::to_string(k)), m));
    }
    if (!detect_drift({file_of(benchmarks)}).drifting.empty())
      ++flagged;
  }
  EXPECT_LE(flagged, trials * 5 / 100) << flagged << " of " << trials << " A/A files flagged";
}

}  // namespace
}  // namespace poolbench::report
