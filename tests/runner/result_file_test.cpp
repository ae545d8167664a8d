#include <poolbench/runner/closed_loop_runner.hpp>
#include <poolbench/runner/result_file.hpp>

#include <poolbench/report/input/load.hpp>
#include "unique_temp_path.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

namespace poolbench::runner {
namespace {

constexpr const char* article = "serial/warm/batch:3/workers:1/delay_ms:0";

collected_run iteration(const std::string& name, std::int64_t repetition, double real_s) {
  collected_run r;
  r.name = name;
  r.repetitions = 2;
  r.repetition_index = repetition;
  r.iterations = 4;
  r.real_s = real_s;
  r.cpu_s = real_s / 2;
  r.counters = {{"rounds", 4}, {"mean", real_s}};
  return r;
}

collected_run aggregate(const std::string& name, const std::string& which, double value) {
  collected_run r;
  r.name = name;
  r.aggregate = true;
  r.aggregate_name = which;
  r.percentage = which == "cv";
  r.repetitions = 2;
  r.repetition_index = -1;
  r.iterations = 2;
  r.real_s = value;
  r.cpu_s = value;
  // Google Benchmark's cv of a counter whose mean is 0 is NaN.
  r.counters = {{"rounds", std::numeric_limits<double>::quiet_NaN()}};
  return r;
}

// Two repetitions of the article's serial case (about 2.5 ms a round), its
// cv aggregate, and a failed run of another case.
std::vector<collected_run> fixture_runs() {
  auto failed = iteration("floor/batch:3/delay_ms:0", 0, 0);
  failed.error_occurred = true;
  failed.error_message = "GET x: wrong";
  return {iteration(article, 0, 0.0025), iteration(article, 1, 0.0026),
          aggregate(article, "cv", 0.1), failed};
}

result_additions article_additions() {
  result_additions add;
  auto& record = add.records[article];
  record.rounds = {{0.0025, 0.0025, 0.0025, 0.0025}, {0.0020001234567, 0.003, 0.002, 0.003}};
  for (const double s : {0.001, 0.002, 0.003})
    record.service.add(s);
  for (const double s : {0.0, 0.0, 0.001})
    record.queue.add(s);
  add.workloads[article] = *results::parse_case_name(article);
  add.context = {{"server_kind", "embedded"}, {"cpu_count", 2}};
  add.run_order = {std::string(article) + "#1"};
  return add;
}

TEST(result_file, adds_workload_samples_latency_context_and_leaves_out_non_finite_values) {
  const auto doc = build_result_document(fixture_runs(), {{"date", "x"}}, article_additions());
  const auto& runs = doc["benchmarks"];
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[1]["name"], article);
  EXPECT_EQ(runs[1]["run_name"], article);
  EXPECT_EQ(runs[1]["workload"]["strategy"], "serial");
  EXPECT_EQ(runs[1]["workload"]["connection"], "fresh");
  EXPECT_EQ(runs[1]["workload"]["batch"], 3);
  // 2.5 ms reads as 2500 us: compare.py prints whole units.
  EXPECT_EQ(runs[1]["time_unit"], "us");
  EXPECT_DOUBLE_EQ(runs[1]["real_time"].get<double>(), 2600.0);
  EXPECT_DOUBLE_EQ(runs[1]["cpu_time"].get<double>(), 1300.0);
  // Repetition 2's rounds, in microseconds, rounded to a nanosecond.
  EXPECT_EQ(runs[1]["samples"], nlohmann::ordered_json({2000.123, 3000.0, 2000.0, 3000.0}));
  // Latency over every request of the case, in the run's unit.
  EXPECT_EQ(runs[1]["latency"]["requests"], 3);
  // The histogram's percentile: the request at rank ceil(p n), within its bin.
  EXPECT_NEAR(runs[1]["latency"]["service_p50"].get<double>(), 2000.0, 2000.0 * 0.009);
  EXPECT_DOUBLE_EQ(runs[1]["latency"]["service_max"].get<double>(), 3000.0);
  EXPECT_DOUBLE_EQ(runs[1]["latency"]["queue_max"].get<double>(), 1000.0);
  EXPECT_EQ(runs[2]["name"], std::string(article) + "_cv");
  EXPECT_EQ(runs[2]["aggregate_unit"], "percentage");
  EXPECT_DOUBLE_EQ(runs[2]["real_time"].get<double>(), 0.1);  // a fraction, not a time
  EXPECT_FALSE(runs[2].contains("rounds"));                   // NaN: absent, not faked
  EXPECT_FALSE(runs[2].contains("samples"));
  EXPECT_FALSE(runs[3].contains("samples"));  // a failed run has no timings to show
  EXPECT_EQ(doc["context"]["server_kind"], "embedded");
  EXPECT_EQ(doc["context"]["date"], "x");
  EXPECT_TRUE(doc["context"]["samples_note"].is_string());
  EXPECT_EQ(doc["run_order"], nlohmann::ordered_json({std::string(article) + "#1"}));
}

TEST(result_file, a_case_failed_in_any_repetition_is_failed_in_every_run) {
  auto add = article_additions();
  add.records[article].error = "GET x: wrong body";
  const auto doc = build_result_document(fixture_runs(), {}, add);
  const auto& runs = doc["benchmarks"];
  ASSERT_EQ(runs.size(), 3u);  // the cv aggregate of the survivors is gone
  EXPECT_TRUE(runs[0]["error_occurred"].get<bool>());
  EXPECT_EQ(runs[0]["error_message"], "another repetition of this case failed: GET x: wrong body");
  EXPECT_FALSE(runs[0].contains("samples"));
  EXPECT_FALSE(runs[0].contains("latency"));
  EXPECT_EQ(runs[2]["error_message"], "GET x: wrong");  // its own error, kept
}

TEST(result_file, thins_long_sample_lists_and_says_so) {
  result_additions add;
  add.records["a"] = {{{10, 11, 12, 13, 14, 15, 16, 17, 18, 19}}, {}, {}, ""};
  add.max_samples_per_run = 5;
  auto run = iteration("a", 0, 14.5);
  const auto doc = build_result_document({run}, {}, add);
  EXPECT_EQ(doc["benchmarks"][0]["time_unit"], "s");
  EXPECT_EQ(doc["benchmarks"][0]["samples"], nlohmann::ordered_json({10, 12, 14, 16, 18}));
  EXPECT_NE(doc["context"]["samples_note"].get<std::string>().find("keep 5"), std::string::npos);
}

// Short rounds are sized by time, not cut at a round count: 0.2 s of 0.2 ms
// rounds (the article's workload) is 1000 of them, where a cap of 200 made
// a fifth of that.
TEST(sized_rounds, fill_the_min_time_up_to_a_guard) {
  EXPECT_EQ(sized_rounds(0.2, 0.0002, default_max_rounds), 1000u);
  EXPECT_EQ(sized_rounds(0.2, 0.00001, default_max_rounds), 20'000u);
  EXPECT_EQ(sized_rounds(0.2, 0.0, default_max_rounds), default_max_rounds);  // a misread 0
  EXPECT_EQ(sized_rounds(0.2, 0.0002, 5), 5u);
  EXPECT_EQ(sized_rounds(0.2, 3.0, default_max_rounds), 1u);
}

// However many rounds a repetition ran, the record keeps a bounded, evenly
// spaced subset, and the result file says it was thinned even though the
// record it gets is already within its own limit.
TEST(result_file, a_repetition_thinned_by_the_closed_loop_is_said_to_be_thinned) {
  std::vector<double> rounds(20'000);
  for (std::size_t i = 0; i < rounds.size(); ++i)
    rounds[i] = static_cast<double>(i);
  const auto kept = evenly_thinned(rounds, kept_rounds_per_repetition);
  ASSERT_EQ(kept.size(), kept_rounds_per_repetition);
  EXPECT_EQ(kept[0], 0.0);
  EXPECT_EQ(kept[1], 20.0);
  EXPECT_EQ(kept.back(), 19'980.0);
  EXPECT_EQ(evenly_thinned({1, 2, 3}, kept_rounds_per_repetition).size(), 3u);

  result_additions add;
  add.records["a"] = {{kept}, {}, {}, ""};
  auto run = iteration("a", 0, 0.0002);
  run.iterations = 20'000;
  const auto doc = build_result_document({run}, {}, add);
  EXPECT_EQ(doc["benchmarks"][0]["samples"].size(), kept_rounds_per_repetition);
  EXPECT_NE(doc["context"]["samples_note"].get<std::string>().find("keep 1000"), std::string::npos)
      << doc["context"]["samples_note"];
}

TEST(result_file, every_run_of_a_benchmark_shares_one_unit) {
  // 9 us and 12 us: the mean (10.5 us) decides, for both runs.
  const auto doc = build_result_document(
      {iteration("a", 0, 9e-6), iteration("a", 1, 12e-6), aggregate("a", "mean", 10.5e-6)}, {}, {});
  for (const auto& run : doc["benchmarks"])
    EXPECT_EQ(run["time_unit"], "us") << run["name"];
}

TEST(result_file, the_document_loads_back_as_the_same_workloads) {
  const auto doc = build_result_document(fixture_runs(), {}, article_additions());
  const auto file = report::result_from_document(doc, "memory");
  ASSERT_EQ(file.benchmarks.size(), 2u);
  ASSERT_TRUE(file.benchmarks[0].workload.has_value());
  EXPECT_EQ(*file.benchmarks[0].workload, *results::parse_case_name(article));
  EXPECT_EQ(file.benchmarks[0].repetition_means.size(), 2u);
  EXPECT_NEAR(file.benchmarks[0].repetition_means[1], 0.0026, 1e-12);
  EXPECT_EQ(file.benchmarks[0].params.at("keepalive"), "0");
}

TEST(result_file, the_written_file_is_complete_and_readable_like_any_other) {
  const auto output = testing::unique_temp_path("result_file_mode.json");
  const auto doc = build_result_document(fixture_runs(), {}, article_additions());
  write_result_file(output, doc);
  struct stat st {};
  ASSERT_EQ(::stat(output.c_str(), &st), 0);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);  // not mkstemp's private 0600
  EXPECT_EQ(report::load_result_file(output).benchmarks.size(), 2u);
  std::remove(output.c_str());
}

TEST(result_file, an_unwritable_destination_is_a_clear_error) {
  EXPECT_THROW(write_result_file("/nonexistent-dir/out.json", {{"benchmarks", {}}}),
               std::runtime_error);
}

}  // namespace
}  // namespace poolbench::runner
