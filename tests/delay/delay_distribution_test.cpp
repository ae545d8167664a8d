// Specs parse or fail with one clear line, and 20,000 draws of each kind (a
// fixed seed, through uniform_at as the runner draws them) match the spec.
//
// The tolerance. A draw falls at or below the spec's p-quantile with
// probability p, so the share of n = 20,000 draws that does is binomial with
// standard error sqrt(p (1 - p) / n): 0.0035 at the median, 0.0007 at p99,
// 0.0015 for a 5 % weight. Each check allows 5 standard errors: a correct
// generator fails it with probability below 1e-6 whatever the seed, while a
// wrong sigma, a swapped weight or an off-by-a-unit mean moves the share by
// far more (a lognormal sigma 10 % off moves the share below the true p99 by
// about 0.004, past 5 SE = 0.0035). Means are checked the same way against
// sigma / sqrt(n).

#include <poolbench/delay/delay_distribution.hpp>
#include <poolbench/delay/delay_stream.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using poolbench::delay::delay_distribution;
using poolbench::delay::uniform_at;
using std::chrono::microseconds;

constexpr std::size_t draws = 20'000;
constexpr std::uint64_t seed = 20'131;

// The runner's keys: one repetition, rounds of 100 positions.
std::vector<double> draw_us(const delay_distribution& d) {
  std::vector<double> out;
  out.reserve(draws);
  for (std::size_t i = 0; i < draws; ++i) {
    out.push_back(static_cast<double>(d.at(uniform_at(seed, 0, i / 100, i % 100)).count()));
  }
  return out;
}

double share_at_or_below(const std::vector<double>& xs, double limit) {
  const auto n = std::count_if(xs.begin(), xs.end(), [&](double x) { return x <= limit; });
  return static_cast<double>(n) / static_cast<double>(xs.size());
}

double mean(const std::vector<double>& xs) {
  double sum = 0;
  for (const double x : xs) {
    sum += x;
  }
  return sum / static_cast<double>(xs.size());
}

// Five binomial standard errors of a share p over `draws` draws.
double five_se(double p) {
  return 5 * std::sqrt(p * (1 - p) / static_cast<double>(draws));
}

std::string parse_error(const std::string& spec) {
  try {
    (void)delay_distribution::parse(spec);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(parsed)";
}

TEST(DelayDistribution, ConstantsInEveryUnit) {
  EXPECT_EQ(delay_distribution::parse("5ms").at(0.3), microseconds(5000));
  EXPECT_EQ(delay_distribution::parse("250us").at(0.9), microseconds(250));
  EXPECT_EQ(delay_distribution::parse("0.5s").at(0), microseconds(500'000));
  EXPECT_EQ(delay_distribution::parse("0.5ms").at(0.5), microseconds(500));
  EXPECT_EQ(delay_distribution::parse("0ms").at(0.5), microseconds(0));
  EXPECT_EQ(delay_distribution::parse("  5ms \n").spec(), "5ms");
  EXPECT_TRUE(delay_distribution::parse("5ms").is_constant());
  EXPECT_TRUE(delay_distribution::parse("uniform:2ms..2ms").is_constant());
  EXPECT_TRUE(delay_distribution::parse("2ms:1").is_constant());
  EXPECT_FALSE(delay_distribution::parse("uniform:1ms..9ms").is_constant());
  EXPECT_FALSE(delay_distribution::parse("exp:5ms").is_constant());
  EXPECT_FALSE(delay_distribution::parse("lognormal:median=5ms,p99=100ms").is_constant());
  EXPECT_FALSE(delay_distribution::parse("1ms:95,100ms:5").is_constant());
}

TEST(DelayDistribution, BadSpecsFailWithOneLineNamingTheSpec) {
  const std::vector<std::string> bad = {
      "",
      "5",
      "5 ms",
      "5min",
      "-5ms",
      "abc",
      "1e3ms",
      "inf ms",
      "nanms",
      "3601s",
      "uniform:9ms..1ms",
      "uniform:1ms",
      "uniform:1ms..",
      "exp:0ms",
      "exp:",
      "gauss:5ms",
      "lognormal:median=5ms",
      "lognormal:p99=1ms,median=5ms",
      "lognormal:median=0ms,p99=5ms",
      "lognormal:median=5ms,median=6ms",
      "lognormal:mean=5ms,p99=9ms",
      "1ms:95,100ms",
      "1ms:0",
      "1ms:-1",
      "1ms:95,",
      "1ms:x",
      "1ms:95,2:5",
      ":5",
  };
  for (const std::string& spec : bad) {
    const std::string what = parse_error(spec);
    EXPECT_NE(what, "(parsed)") << spec;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind("delay '", 0), 0U) << what;
  }
  EXPECT_EQ(parse_error("5"), "delay '5': '5' needs a unit (us, ms or s)");
  EXPECT_EQ(parse_error("uniform:9ms..1ms"),
            "delay 'uniform:9ms..1ms': uniform: the upper bound is below the lower bound");
  EXPECT_EQ(parse_error("gauss:5ms"),
            "delay 'gauss:5ms': unknown kind 'gauss' (uniform, exp, lognormal, or a duration)");
  EXPECT_EQ(parse_error(""),
            "delay '': empty spec; expected e.g. 5ms, uniform:1ms..9ms, exp:5ms, "
            "lognormal:median=5ms,p99=100ms or 1ms:95,100ms:5");
}

TEST(DelayDistribution, AtIsAMonotoneInverseCdf) {
  for (const char* spec :
       {"uniform:1ms..9ms", "exp:5ms", "lognormal:median=5ms,p99=100ms", "100ms:5,1ms:95"}) {
    const auto d = delay_distribution::parse(spec);
    microseconds previous{-1};
    for (int i = 0; i <= 1000; ++i) {
      const microseconds now = d.at(i / 1000.0);
      EXPECT_GE(now, previous) << spec << " at " << i / 1000.0;
      previous = now;
    }
    EXPECT_EQ(d.at(0.25), d.at(0.25)) << spec;
    EXPECT_GE(d.at(-1), microseconds(0)) << spec;
    EXPECT_EQ(d.at(2), d.at(1)) << spec;  // clamped below 1, finite
  }
}

TEST(DelayDistribution, LognormalPassesThroughItsMedianAndP99) {
  const auto d = delay_distribution::parse("lognormal:median=5ms,p99=100ms");
  EXPECT_EQ(d.at(0.5), microseconds(5000));
  EXPECT_NEAR(static_cast<double>(d.at(0.99).count()), 100'000, 1);
  // The other order of keys is the same distribution.
  EXPECT_EQ(delay_distribution::parse("lognormal:p99=100ms,median=5ms").at(0.99), d.at(0.99));
}

TEST(DelayDistribution, LognormalDrawsMatchTheirQuantiles) {
  const auto xs = draw_us(delay_distribution::parse("lognormal:median=5ms,p99=100ms"));
  EXPECT_NEAR(share_at_or_below(xs, 5000), 0.5, five_se(0.5));
  EXPECT_NEAR(share_at_or_below(xs, 100'000), 0.99, five_se(0.99));
  // And a point in between: p90 = median * exp(sigma * z_0.90).
  const double sigma = std::log(20.0) / 2.326347874040841;
  EXPECT_NEAR(share_at_or_below(xs, 5000 * std::exp(sigma * 1.2815515655446004)), 0.9,
              five_se(0.9));
}

TEST(DelayDistribution, WeightedDrawsMatchTheirWeights) {
  const auto xs = draw_us(delay_distribution::parse("1ms:95,100ms:5"));
  EXPECT_TRUE(
      std::all_of(xs.begin(), xs.end(), [](double x) { return x == 1000 || x == 100'000; }));
  EXPECT_NEAR(share_at_or_below(xs, 1000), 0.95, five_se(0.95));
  // Weights are normalised, order does not matter.
  const auto ys = draw_us(delay_distribution::parse("300us:1, 200us:2 ,100us:1"));
  EXPECT_NEAR(share_at_or_below(ys, 100), 0.25, five_se(0.25));
  EXPECT_NEAR(share_at_or_below(ys, 200), 0.75, five_se(0.75));
  EXPECT_EQ(share_at_or_below(ys, 300), 1.0);
}

TEST(DelayDistribution, UniformDrawsStayInBoundsAndSpreadEvenly) {
  const auto xs = draw_us(delay_distribution::parse("uniform:1ms..9ms"));
  EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 1000);
  EXPECT_LE(*std::max_element(xs.begin(), xs.end()), 9000);
  EXPECT_NEAR(share_at_or_below(xs, 3000), 0.25, five_se(0.25));
  EXPECT_NEAR(share_at_or_below(xs, 5000), 0.5, five_se(0.5));
  // Mean 5 ms, standard deviation 8 ms / sqrt(12).
  EXPECT_NEAR(mean(xs), 5000, 5 * (8000 / std::sqrt(12.0)) / std::sqrt(double{draws}));
}

TEST(DelayDistribution, ExponentialDrawsHaveTheirMean) {
  const auto xs = draw_us(delay_distribution::parse("exp:5ms"));
  // An exponential's standard deviation equals its mean.
  EXPECT_NEAR(mean(xs), 5000, 5 * 5000 / std::sqrt(double{draws}));
  EXPECT_NEAR(share_at_or_below(xs, 5000 * std::log(2.0)), 0.5, five_se(0.5));
  EXPECT_NEAR(share_at_or_below(xs, 5000 * std::log(100.0)), 0.99, five_se(0.99));
}

}  // namespace
