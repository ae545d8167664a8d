#include "result_file.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace poolbench::runner {
namespace {

TEST(result_file, clean_name_strips_google_benchmark_suffixes) {
  EXPECT_EQ(clean_benchmark_name("serial/warm/batch:3/workers:1/delay_ms:0/iterations:40/"
                                 "repeats:9/manual_time"),
            "serial/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(clean_benchmark_name("a/keepalive:1/iterations:1/manual_time"), "a/keepalive:1");
  EXPECT_EQ(clean_benchmark_name("plain"), "plain");
}

// A Google Benchmark file as 1.7 writes it, NaN included.
constexpr const char* fixture = R"({
  "context": {"date": "x", "num_cpus": 2},
  "benchmarks": [
    {"name": "s/warm/batch:3/workers:1/delay_ms:0/iterations:4/repeats:2/manual_time",
     "run_name": "s/warm/batch:3/workers:1/delay_ms:0/iterations:4/repeats:2/manual_time",
     "run_type": "iteration", "repetitions": 2, "repetition_index": 1, "threads": 1,
     "iterations": 4, "real_time": 2.5, "cpu_time": 1.0, "time_unit": "ms", "mean": 0.0025},
    {"name": "s/warm/batch:3/workers:1/delay_ms:0/iterations:4/repeats:2/manual_time_cv",
     "run_name": "s/warm/batch:3/workers:1/delay_ms:0/iterations:4/repeats:2/manual_time",
     "run_type": "aggregate", "aggregate_name": "cv", "repetitions": 2, "threads": 1,
     "iterations": 2, "real_time": 0.1, "cpu_time": 0.1, "time_unit": "ms", "delay_ms": NaN,
     "batch": -nan},
    {"name": "f/warm/iterations:1/manual_time", "run_name": "f/warm/iterations:1/manual_time",
     "run_type": "iteration", "repetitions": 1, "repetition_index": 0, "threads": 1,
     "iterations": 0, "real_time": 0, "cpu_time": 0, "time_unit": "ms",
     "error_occurred": true, "error_message": "GET x: wrong"}
  ]
})";

TEST(result_file, adds_samples_context_and_drops_non_finite_values) {
  const std::string path = ::testing::TempDir() + "result_file_test.json";
  std::ofstream(path) << fixture;
  std::map<std::string, std::vector<std::vector<double>>> samples{
      {"s/warm/batch:3/workers:1/delay_ms:0",
       {{1, 1, 1, 1}, {0.0020001234567, 0.003, 0.002, 0.003}}},
      {"f/warm", {{0.5}}}};
  finish_result_file(path, samples, {{"server_kind", "embedded"}, {"cpu_count", 2}});
  std::ifstream in(path);
  const auto doc = nlohmann::json::parse(in);
  std::remove(path.c_str());

  const auto& runs = doc["benchmarks"];
  EXPECT_EQ(runs[0]["name"], "s/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(runs[0]["run_name"], "s/warm/batch:3/workers:1/delay_ms:0");
  // Repetition 1's rounds, in milliseconds, rounded to a nanosecond.
  EXPECT_EQ(runs[0]["samples"], nlohmann::json({2.000123, 3.0, 2.0, 3.0}));
  EXPECT_EQ(runs[1]["name"], "s/warm/batch:3/workers:1/delay_ms:0_cv");
  EXPECT_FALSE(runs[1].contains("delay_ms"));
  EXPECT_FALSE(runs[1].contains("batch"));
  EXPECT_FALSE(runs[1].contains("samples"));
  EXPECT_FALSE(runs[2].contains("samples"));  // a failed run has no timings to show
  EXPECT_EQ(doc["context"]["server_kind"], "embedded");
  EXPECT_EQ(doc["context"]["cpu_count"], 2);
  EXPECT_EQ(doc["context"]["date"], "x");
  EXPECT_TRUE(doc["context"]["samples_note"].is_string());
}

TEST(result_file, thins_long_sample_lists_and_says_so) {
  const std::string path = ::testing::TempDir() + "result_file_thin.json";
  std::ofstream(path) << R"({"context": {}, "benchmarks": [{"name": "a/iterations:10/manual_time",
      "run_name": "a/iterations:10/manual_time", "run_type": "iteration",
      "repetition_index": 0, "time_unit": "s"}]})";
  finish_result_file(path, {{"a", {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}}}, {}, 5);
  std::ifstream in(path);
  const auto doc = nlohmann::json::parse(in);
  std::remove(path.c_str());
  EXPECT_EQ(doc["benchmarks"][0]["samples"], nlohmann::json({0, 2, 4, 6, 8}));
  EXPECT_NE(doc["context"]["samples_note"].get<std::string>().find("keep 5"), std::string::npos);
}

TEST(result_file, missing_or_broken_file_is_a_clear_error) {
  EXPECT_THROW(finish_result_file("/nonexistent/x.json", {}, {}), std::runtime_error);
  const std::string path = ::testing::TempDir() + "result_file_broken.json";
  std::ofstream(path) << "{ not json";
  EXPECT_THROW(finish_result_file(path, {}, {}), std::runtime_error);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace poolbench::runner
