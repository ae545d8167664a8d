#include <poolbench/runner/result_file.hpp>

#include <sys/stat.h>

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

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  auto doc = nlohmann::json::parse(in);
  std::remove(path.c_str());
  return doc;
}

TEST(result_file, adds_samples_latency_context_and_drops_non_finite_values) {
  const auto input = write_temp("result_file_test.gb.json", fixture);
  const auto output = ::testing::TempDir() + "result_file_test.json";
  result_additions add;
  add.records["s/warm/batch:3/workers:1/delay_ms:0"] = {
      {{1, 1, 1, 1}, {0.0020001234567, 0.003, 0.002, 0.003}},
      {0.001, 0.002, 0.003},
      {0, 0, 0.001},
      ""};
  add.context = {{"server_kind", "embedded"}, {"cpu_count", 2}};
  add.run_order = {"s/warm/batch:3/workers:1/delay_ms:0#1"};
  finish_result_file(input, output, add);
  std::remove(input.c_str());
  const auto doc = read_json(output);

  const auto& runs = doc["benchmarks"];
  EXPECT_EQ(runs[0]["name"], "s/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(runs[0]["run_name"], "s/warm/batch:3/workers:1/delay_ms:0");
  // Repetition 1's rounds, in milliseconds, rounded to a nanosecond.
  EXPECT_EQ(runs[0]["samples"], nlohmann::json({2.000123, 3.0, 2.0, 3.0}));
  // Latency over every request of the case, in the run's unit (ms).
  EXPECT_EQ(runs[0]["latency"]["requests"], 3);
  EXPECT_DOUBLE_EQ(runs[0]["latency"]["service_p50"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(runs[0]["latency"]["service_max"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(runs[0]["latency"]["queue_p50"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(runs[0]["latency"]["queue_max"].get<double>(), 1.0);
  EXPECT_EQ(runs[1]["name"], "s/warm/batch:3/workers:1/delay_ms:0_cv");
  EXPECT_FALSE(runs[1].contains("delay_ms"));
  EXPECT_FALSE(runs[1].contains("batch"));
  EXPECT_FALSE(runs[1].contains("samples"));
  EXPECT_FALSE(runs[2].contains("samples"));  // a failed run has no timings to show
  EXPECT_EQ(doc["context"]["server_kind"], "embedded");
  EXPECT_EQ(doc["context"]["cpu_count"], 2);
  EXPECT_EQ(doc["context"]["date"], "x");
  EXPECT_TRUE(doc["context"]["samples_note"].is_string());
  EXPECT_EQ(doc["run_order"], nlohmann::json({"s/warm/batch:3/workers:1/delay_ms:0#1"}));
}

TEST(result_file, a_case_failed_in_any_repetition_is_failed_in_every_run) {
  const auto input = write_temp("result_file_failed.gb.json", fixture);
  const auto output = ::testing::TempDir() + "result_file_failed.json";
  result_additions add;
  add.records["s/warm/batch:3/workers:1/delay_ms:0"] = {
      {{1, 1, 1, 1}, {}}, {0.001}, {0}, "GET x: wrong body"};
  finish_result_file(input, output, add);
  std::remove(input.c_str());
  const auto doc = read_json(output);
  const auto& runs = doc["benchmarks"];
  ASSERT_EQ(runs.size(), 2u);  // the cv aggregate of the survivors is gone
  EXPECT_TRUE(runs[0]["error_occurred"].get<bool>());
  EXPECT_EQ(runs[0]["error_message"], "another repetition of this case failed: GET x: wrong body");
  EXPECT_FALSE(runs[0].contains("samples"));
  EXPECT_FALSE(runs[0].contains("latency"));
  EXPECT_EQ(runs[1]["error_message"], "GET x: wrong");  // its own error, kept
}

TEST(result_file, thins_long_sample_lists_and_says_so) {
  const auto input =
      write_temp("result_file_thin.gb.json",
                 R"({"context": {}, "benchmarks": [{"name": "a/iterations:10/manual_time",
      "run_name": "a/iterations:10/manual_time", "run_type": "iteration",
      "repetition_index": 0, "time_unit": "s"}]})");
  const auto output = ::testing::TempDir() + "result_file_thin.json";
  result_additions add;
  add.records["a"] = {{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, {}, {}, ""};
  add.max_samples_per_run = 5;
  finish_result_file(input, output, add);
  std::remove(input.c_str());
  const auto doc = read_json(output);
  EXPECT_EQ(doc["benchmarks"][0]["samples"], nlohmann::json({0, 2, 4, 6, 8}));
  EXPECT_NE(doc["context"]["samples_note"].get<std::string>().find("keep 5"), std::string::npos);
}

TEST(result_file, missing_or_broken_input_is_a_clear_error_and_leaves_the_output_alone) {
  const auto output = write_temp("result_file_kept.json", "previous");
  EXPECT_THROW(finish_result_file("/nonexistent/x.json", output, {}), std::runtime_error);
  const auto broken = write_temp("result_file_broken.json", "{ not json");
  EXPECT_THROW(finish_result_file(broken, output, {}), std::runtime_error);
  std::remove(broken.c_str());
  std::ifstream in(output);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "previous");
  std::remove(output.c_str());
}

TEST(result_file, the_finished_file_is_readable_like_any_other) {
  const auto input = write_temp("result_file_mode.gb.json", fixture);
  const auto output = ::testing::TempDir() + "result_file_mode.json";
  finish_result_file(input, output, {});
  std::remove(input.c_str());
  struct stat st {};
  ASSERT_EQ(::stat(output.c_str(), &st), 0);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);  // not mkstemp's private 0600
  std::remove(output.c_str());
}

TEST(result_file, an_unwritable_destination_is_a_clear_error) {
  const auto input = write_temp("result_file_in.gb.json", fixture);
  EXPECT_THROW(finish_result_file(input, "/nonexistent-dir/out.json", {}), std::runtime_error);
  std::remove(input.c_str());
}

}  // namespace
}  // namespace poolbench::runner
