#include <poolbench/results/benchmark_json.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace poolbench::results {
namespace {

TEST(benchmark_json, suffixes_google_benchmark_appends_are_stripped) {
  EXPECT_EQ(without_run_suffixes("serial/warm/batch:3/workers:1/delay_ms:0/iterations:40/"
                                 "repeats:9/manual_time"),
            "serial/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(without_run_suffixes("a/keepalive:1/iterations:1/manual_time"), "a/keepalive:1");
  EXPECT_EQ(without_run_suffixes("BM_x/8/real_time"), "BM_x/8");
  EXPECT_EQ(without_run_suffixes("plain"), "plain");
  EXPECT_EQ(without_run_suffixes("a/iterations:x"), "a/iterations:x");  // not a count
}

TEST(benchmark_json, units) {
  EXPECT_DOUBLE_EQ(seconds_per_unit("ns"), 1e-9);
  EXPECT_DOUBLE_EQ(seconds_per_unit("us"), 1e-6);
  EXPECT_DOUBLE_EQ(seconds_per_unit("ms"), 1e-3);
  EXPECT_DOUBLE_EQ(seconds_per_unit("s"), 1.0);
  EXPECT_THROW((void)seconds_per_unit("min"), std::invalid_argument);
}

TEST(benchmark_json, the_unit_makes_the_value_10_or_more) {
  EXPECT_EQ(time_unit_for(2.5e-3), "us");  // the article's workload: 2500 us, not 2 ms
  EXPECT_EQ(time_unit_for(9.99e-6), "ns");
  EXPECT_EQ(time_unit_for(10e-6), "us");
  EXPECT_EQ(time_unit_for(0.070), "ms");
  EXPECT_EQ(time_unit_for(1.5), "ms");
  EXPECT_EQ(time_unit_for(12.0), "s");
  EXPECT_EQ(time_unit_for(0.0), "ns");
  for (double s : {1.2e-5, 3e-4, 2.5e-3, 0.07, 1.5, 20.0})
    EXPECT_GE(s / seconds_per_unit(time_unit_for(s)), 10.0) << s;
}

TEST(benchmark_json, non_finite_words_become_null_outside_strings_only) {
  const auto text = without_non_finite_literals(
      R"({"a": NaN, "b": -nan, "c": inf, "d": -Infinity, "e": Infinity, "s": "NaN inf", "f": 1.5})");
  const auto doc = nlohmann::json::parse(text);
  for (const char* key : {"a", "b", "c", "d", "e"})
    EXPECT_TRUE(doc[key].is_null()) << key;
  EXPECT_EQ(doc["s"], "NaN inf");
  EXPECT_DOUBLE_EQ(doc["f"].get<double>(), 1.5);
  EXPECT_EQ(without_non_finite_literals(R"(["a\"NaN"])"), R"(["a\"NaN"])");
}

}  // namespace
}  // namespace poolbench::results
