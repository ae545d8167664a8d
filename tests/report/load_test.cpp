// Result loading on the checked-in fixtures: poolbench JSON (samples,
// thinned samples), plain and aggregates-only Google Benchmark JSON,
// pytest-benchmark JSON, and every kind of bad input.

#include "test_support.hpp"

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/tables/provenance_line.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;

const report::benchmark_result& find(const report::result_file& f, const std::string& name) {
  for (const auto& b : f.benchmarks) {
    if (b.name == name)
      return b;
  }
  throw std::runtime_error("no benchmark " + name);
}

TEST(LoadPoolbench, SamplesParamsAndContext) {
  const auto f = report::load_result_file(fixture("poolbench_base.json"));
  EXPECT_EQ(f.format, report::source_format::poolbench);
  ASSERT_EQ(f.benchmarks.size(), 5u);
  const auto& serial = f.benchmarks.front();
  EXPECT_EQ(serial.name, "serial/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(serial.params.at("strategy"), "serial");
  EXPECT_EQ(serial.params.at("mode"), "warm");
  EXPECT_EQ(serial.params.at("batch"), "3");
  EXPECT_EQ(serial.params.at("workers"), "1");
  EXPECT_EQ(serial.params.at("delay_ms"), "0");
  EXPECT_EQ(serial.kind, report::sample_kind::rounds);
  // 3 repetitions x 6 rounds, pooled; samples are ms in the file, s here.
  EXPECT_EQ(serial.stats.rounds, 18u);
  ASSERT_EQ(serial.samples.size(), 18u);
  EXPECT_NEAR(serial.samples.front(), 3.0e-3, 0.2e-3);
  EXPECT_EQ(f.context_value("server_kind"), "embedded");
  EXPECT_EQ(f.context_value("load_model"), "closed-loop");
  EXPECT_EQ(f.context_value("cpu_count"), "2");
  EXPECT_EQ(f.context_value("caches"), "");  // left out on purpose
}

TEST(LoadPoolbench, StatisticsAgreeWithTheRunnersCounters) {
  const auto f = report::load_result_file(fixture("poolbench_base.json"));
  const auto doc =
      nlohmann::json::parse(report::testing::read_text(fixture("poolbench_base.json")));
  // The mean of all rounds is the rounds-weighted mean of the repetitions'.
  double sum = 0;
  int n = 0;
  for (const auto& run : doc["benchmarks"]) {
    if (run["run_name"] == "async_pool/cold/batch:3/workers:3/delay_ms:0" &&
        run["run_type"] == "iteration") {
      sum += run["mean"].get<double>() * run["rounds"].get<double>();
      n += run["rounds"].get<int>();
    }
  }
  const auto& b = find(f, "async_pool/cold/batch:3/workers:3/delay_ms:0");
  EXPECT_NEAR(b.stats.mean, sum / n, 1e-12);
}

TEST(LoadPoolbench, ThinnedSamplesKeepExactCountersForMeanAndSpread) {
  // The thinned file holds the same rounds as the base file (same seeds), of
  // which only every second is kept as a sample.
  const auto full = report::load_result_file(fixture("poolbench_base.json"));
  const auto thin = report::load_result_file(fixture("poolbench_thinned.json"));
  const auto& a = find(full, "serial/warm/batch:3/workers:1/delay_ms:0");
  const auto& b = find(thin, "serial/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(b.samples.size(), 9u);
  EXPECT_EQ(b.stats.rounds, 18u);
  EXPECT_NEAR(b.stats.mean, a.stats.mean, 1e-12);
  EXPECT_NEAR(b.stats.stddev, a.stats.stddev, 1e-12);
  EXPECT_DOUBLE_EQ(b.stats.min, a.stats.min);
  EXPECT_DOUBLE_EQ(b.stats.max, a.stats.max);
  EXPECT_NE(thin.context_value("samples_note"), "");
}

TEST(LoadGoogleBenchmark, PlainFileFallsBackToRepetitions) {
  const auto f = report::load_result_file(fixture("google_benchmark_plain.json"));
  EXPECT_EQ(f.format, report::source_format::google_benchmark);
  ASSERT_EQ(f.benchmarks.size(), 2u);
  const auto& b = f.benchmarks[0];
  EXPECT_EQ(b.name, "BM_concat/8");
  EXPECT_EQ(b.params.at("family"), "BM_concat");
  EXPECT_EQ(b.kind, report::sample_kind::repetitions);
  EXPECT_EQ(b.stats.rounds, 4u);
  // Google Benchmark's own mean/median/stddev aggregates over repetitions.
  const auto doc =
      nlohmann::json::parse(report::testing::read_text(fixture("google_benchmark_plain.json")));
  for (const auto& run : doc["benchmarks"]) {
    if (run["run_name"] != "BM_concat/8" || run["run_type"] != "aggregate")
      continue;
    const double seconds = run["real_time"].get<double>() * 1e-9;
    if (run["aggregate_name"] == "mean") {
      EXPECT_NEAR(b.stats.mean, seconds, 1e-15);
    }
    if (run["aggregate_name"] == "median") {
      EXPECT_NEAR(b.stats.median, seconds, 1e-15);
    }
    if (run["aggregate_name"] == "stddev") {
      EXPECT_NEAR(b.stats.stddev, seconds, 1e-15);
    }
  }
}

TEST(LoadGoogleBenchmark, AggregatesOnly) {
  const auto f = report::load_result_file(fixture("google_benchmark_aggregates_only.json"));
  ASSERT_EQ(f.benchmarks.size(), 2u);
  const auto& b = f.benchmarks[1];
  EXPECT_EQ(b.name, "BM_concat/512");
  EXPECT_EQ(b.kind, report::sample_kind::summary);
  EXPECT_EQ(b.stats.rounds, 3u);  // repetitions
  EXPECT_GT(b.stats.mean, 0);
  EXPECT_GT(b.stats.median, 0);
  EXPECT_TRUE(std::isnan(b.stats.min));  // not in the file
  EXPECT_NEAR(b.stats.ops, 1 / b.stats.mean, 1e-3);
}

TEST(LoadPytestBenchmark, StatisticsEqualPytestBenchmarksOwn) {
  const auto f = report::load_result_file(fixture("pytest_benchmark.json"));
  EXPECT_EQ(f.format, report::source_format::pytest_benchmark);
  const auto doc =
      nlohmann::json::parse(report::testing::read_text(fixture("pytest_benchmark.json")));
  ASSERT_EQ(f.benchmarks.size(), doc["benchmarks"].size());
  for (std::size_t i = 0; i < f.benchmarks.size(); ++i) {
    const auto& ours = f.benchmarks[i].stats;
    const auto& theirs = doc["benchmarks"][i]["stats"];
    SCOPED_TRACE(f.benchmarks[i].name);
    EXPECT_EQ(ours.rounds, theirs["rounds"].get<std::size_t>());
    for (const auto& [key, value] :
         std::vector<std::pair<const char*, double>>{{"min", ours.min},
                                                     {"max", ours.max},
                                                     {"mean", ours.mean},
                                                     {"stddev", ours.stddev},
                                                     {"median", ours.median},
                                                     {"q1", ours.q1},
                                                     {"q3", ours.q3},
                                                     {"iqr", ours.iqr},
                                                     {"ops", ours.ops}}) {
      EXPECT_NEAR(value, theirs[key].get<double>(), 1e-12 * std::fabs(theirs[key].get<double>()))
          << key;
    }
    EXPECT_EQ(ours.outliers(), theirs["outliers"].get<std::string>());
  }
  EXPECT_EQ(f.benchmarks[0].params.at("group"), "small");
  EXPECT_EQ(f.benchmarks[0].params.at("batch"), "3");
  EXPECT_NE(f.context_value("python_version"), "");
}

TEST(LoadPytestBenchmark, SummaryWithoutData) {
  const auto f = report::parse_result_text(R"({"machine_info": {}, "benchmarks": [
    {"name": "test_x", "group": null, "stats": {"min": 0.001, "max": 0.003, "mean": 0.002,
     "stddev": 0.001, "median": 0.002, "q1": 0.0015, "q3": 0.0025, "iqr": 0.001, "rounds": 3,
     "ops": 500.0, "stddev_outliers": 1, "iqr_outliers": 0, "outliers": "1;0"}}]})",
                                           "summary.json");
  const auto& s = f.benchmarks.at(0).stats;
  EXPECT_EQ(f.benchmarks[0].kind, report::sample_kind::summary);
  EXPECT_EQ(s.rounds, 3u);
  EXPECT_DOUBLE_EQ(s.q3, 0.0025);
  EXPECT_EQ(s.outliers(), "1;0");
}

TEST(LoadEdgeCases, NanInfinityAndZeroRoundsAreHandled) {
  // Google Benchmark writes NaN and Infinity as bare words.
  const auto f = report::parse_result_text(R"({"context": {"note": "NaN inside a string"},
    "benchmarks": [
      {"name": "a/warm/batch:1/workers:1/delay_ms:0", "run_type": "iteration", "real_time": NaN,
       "time_unit": "ms", "rounds": 3, "samples": [1.0, NaN, 2.0, Infinity, -Infinity]},
      {"name": "b/warm/batch:1/workers:1/delay_ms:0", "run_type": "iteration", "real_time": 0,
       "time_unit": "ms", "rounds": 0, "iterations": 0, "samples": []},
      {"name": "c", "run_type": "iteration", "error_occurred": true, "error_message": "boom",
       "real_time": 0, "time_unit": "ns"}]})",
                                           "nan.json");
  ASSERT_EQ(f.benchmarks.size(), 3u);
  EXPECT_EQ(f.context_value("note"), "NaN inside a string");
  EXPECT_EQ(f.benchmarks[0].stats.rounds, 2u);
  EXPECT_DOUBLE_EQ(f.benchmarks[0].stats.mean, 1.5e-3);
  EXPECT_EQ(f.benchmarks[1].stats.rounds, 0u);
  EXPECT_TRUE(std::isnan(f.benchmarks[1].stats.mean));
  EXPECT_EQ(f.benchmarks[2].stats.rounds, 0u);
}

TEST(LoadEdgeCases, AbsurdCountsAreIgnored) {
  const auto f = report::parse_result_text(R"({"machine_info": {}, "benchmarks": [
    {"name": "test_x", "stats": {"mean": 0.002, "rounds": 1e300, "stddev_outliers": -1e300,
     "iqr_outliers": 1e300}}]})",
                                           "absurd.json");
  EXPECT_EQ(f.benchmarks.at(0).stats.rounds, 0u);
  EXPECT_EQ(f.benchmarks[0].stats.outliers(), "n/a");
}

TEST(LoadEdgeCases, ManualTimeSuffixIsDropped) {
  const auto f = report::parse_result_text(
      R"({"benchmarks": [{"name": "serial/warm/batch:3/workers:1/delay_ms:0/manual_time",
          "run_name": "serial/warm/batch:3/workers:1/delay_ms:0/manual_time",
          "run_type": "iteration", "real_time": 2.0, "time_unit": "ms"}]})",
      "suffix.json");
  EXPECT_EQ(f.benchmarks.at(0).name, "serial/warm/batch:3/workers:1/delay_ms:0");
}

TEST(LoadEdgeCases, NoBenchmarksIsAnEmptyFileNotAnError) {
  const auto f = report::parse_result_text(R"({"context": {}, "benchmarks": []})", "none.json");
  EXPECT_TRUE(f.benchmarks.empty());
}

// Every bad input gives one line that names the file and the problem.
void expect_input_error(const std::function<void()>& load, const std::string& file,
                        const std::string& problem) {
  try {
    load();
    ADD_FAILURE() << "no error for " << file;
  } catch (const report::input_error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(file + ": ", 0), 0u) << what;
    EXPECT_NE(what.find(problem), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

void expect_text_error(const std::string& text, const std::string& problem) {
  expect_input_error([&] { (void)report::parse_result_text(text, "bad.json"); }, "bad.json",
                     problem);
}

TEST(LoadBadInput, TextProblems) {
  expect_text_error("", "empty file");
  expect_text_error(" \n\t", "empty file");
  expect_text_error(R"({"benchmarks": [{"name": "x", "real_time": 1)", "truncated JSON");
  expect_text_error("hello", "invalid JSON");
  expect_text_error("[1, 2]", "not benchmark JSON");
  expect_text_error(R"({"context": {}})", "not benchmark JSON");
  expect_text_error(R"({"benchmarks": {"name": "x"}})", "not benchmark JSON");
  expect_text_error(R"({"benchmarks": [1, 2]})", "has no \"name\"");
  expect_text_error(R"({"benchmarks": [{"name": 1, "stats": {}}]})", "has no \"name\"");
  expect_text_error(R"({"benchmarks": [{"name": "x", "real_time": 1, "time_unit": "fortnights"}]})",
                    "unknown time_unit");
  expect_text_error(R"({"machine_info": {}, "benchmarks": [{"name": "x"}]})", "no \"stats\"");
  expect_text_error(R"({"benchmarks": [{"name": "x", "error_occurred": "yes"}]})",
                    "unexpected benchmark JSON layout");
}

// A bad "workload" object is bad input naming the benchmark, not a silent
// fall-back to the benchmark's name.
TEST(LoadBadInput, ABadWorkloadObjectNamesTheBenchmark) {
  expect_text_error(
      R"({"benchmarks": [{"name": "serial/warm/batch:3/workers:1/delay_ms:0", "run_type": "iteration", "real_time": 1, "time_unit": "ms", "workload": 7}]})",
      "benchmark \"serial/warm/batch:3/workers:1/delay_ms:0\": workload is not an object");
}

TEST(LoadBadInput, FileProblems) {
  report::testing::temp_dir dir;
  const auto missing = (dir.path() / "missing.json").string();
  expect_input_error([&] { (void)report::load_result_file(missing); }, missing, "cannot open");
  expect_input_error([&] { (void)report::load_result_file(dir.path()); }, dir.path().string(),
                     "is a directory");
  const auto empty = (dir.path() / "empty.json").string();
  report::testing::write_text(empty, "");
  expect_input_error([&] { (void)report::load_result_file(empty); }, empty, "empty file");
  const auto whole = report::testing::read_text(fixture("poolbench_base.json"));
  const auto cut = (dir.path() / "cut.json").string();
  report::testing::write_text(cut, whole.substr(0, whole.size() / 2));
  expect_input_error([&] { (void)report::load_result_file(cut); }, cut, "truncated JSON");
}

}  // namespace

namespace poolbench::report {
namespace {

TEST(ProvenanceLine, WrapsAtSeparatorsAndCutsNoValue) {
  result_file file;
  file.path = "results/latest.json";
  file.context = {{"git_revision", "abc123def456"},
                  {"build_type", "Release"},
                  {"compiler", "gcc 12.2.0"},
                  {"cpu_model", "AMD EPYC 7B13 64-Core Processor"},
                  {"cpu_count", "2"},
                  {"kernel", "Linux 6.1.0-28-cloud-amd64 x86_64"},
                  {"load_average_start", "2.35 1.19 0.66"},
                  {"load_average_end", "2.35 1.40 0.80"},
                  {"repetitions", "9"},
                  {"warmup_rounds", "1"},
                  {"server_kind", "embedded"}};
  const auto text = provenance_line(file, 60);
  std::size_t start = 0, widest = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    widest = std::max(widest, end - start);
    start = end + 1;
  }
  EXPECT_LE(widest, 60u) << text;
  EXPECT_NE(text.find("load 2.35 1.19 0.66 -> 2.35 1.40 0.80"), std::string::npos) << text;
  EXPECT_EQ(text.find("..."), std::string::npos) << text;
  EXPECT_EQ(provenance_line(file, 0).find('\n'), std::string::npos);  // no width: one line
}

}  // namespace
}  // namespace poolbench::report
