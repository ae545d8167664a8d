// The exact ideal round on cases worked by hand.

#include <poolbench/delay/ideal_round.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace {

using poolbench::delay::ideal_round_seconds;

double ideal(const std::vector<double>& delays, std::size_t workers) {
  return ideal_round_seconds(delays, workers);
}

TEST(IdealRound, HandWorkedCases) {
  // {5,1,1,1} on 2: worker A takes 5; B takes 1, 1, 1 (frees at 1, 2, 3): 5.
  EXPECT_DOUBLE_EQ(ideal({5, 1, 1, 1}, 2), 5);
  // {3,3,3} on 2: A and B take one each, the third starts at 3: 6.
  EXPECT_DOUBLE_EQ(ideal({3, 3, 3}, 2), 6);
  // {1,1,1,5} on 2: A and B take a 1 each; A takes the third at 1; the 5
  // starts on B at 1: 6 (FCFS, no reordering), where a scheduler that knew
  // the delays would need 5.
  EXPECT_DOUBLE_EQ(ideal({1, 1, 1, 5}, 2), 6);
  // {4,1,2,3} on 2: A 0-4; B 0-1, then 1-3 (the 2); the 3 starts when B
  // frees at 3: 6.
  EXPECT_DOUBLE_EQ(ideal({4, 1, 2, 3}, 2), 6);
  // {2,2,2,2,2} on 3: 2, then two more at 2: 4.
  EXPECT_DOUBLE_EQ(ideal({2, 2, 2, 2, 2}, 3), 4);
}

TEST(IdealRound, OneWorkerIsTheSum) {
  EXPECT_DOUBLE_EQ(ideal({0.005, 0.001, 0.1, 0.002}, 1), 0.108);
}

TEST(IdealRound, EnoughWorkersIsTheLongest) {
  EXPECT_DOUBLE_EQ(ideal({0.005, 0.001, 0.1, 0.002}, 4), 0.1);
  EXPECT_DOUBLE_EQ(ideal({0.005, 0.001, 0.1, 0.002}, 64), 0.1);
}

TEST(IdealRound, ConstantDelaysGiveTheOldFormula) {
  // ceil(batch / workers) * delay: what a constant delay's ideal always was.
  const std::vector<double> ten_ms(100, 0.010);
  EXPECT_NEAR(ideal(ten_ms, 16), 7 * 0.010, 1e-12);
  EXPECT_NEAR(ideal(ten_ms, 100), 0.010, 1e-12);
}

TEST(IdealRound, EdgeCases) {
  EXPECT_EQ(ideal({}, 4), 0);
  EXPECT_THROW((void)ideal({1}, 0), std::invalid_argument);
  EXPECT_THROW((void)ideal({-1}, 2), std::invalid_argument);
  EXPECT_THROW((void)ideal({std::numeric_limits<double>::quiet_NaN()}, 2), std::invalid_argument);
}

}  // namespace
