// Open-loop mode: the schedule, the histogram, and a run end to end.

#include <poolbench/results/latency_histogram.hpp>
#include <poolbench/runner/arrival_schedule.hpp>
#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numeric>
#include <regex>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

TEST(arrival_schedule, uniform_is_evenly_spaced_within_the_duration) {
  const auto t = arrival_offsets_ns(100, 1.0, arrivals::uniform, 1);
  ASSERT_EQ(t.size(), 100u);
  EXPECT_EQ(t.front(), 0);
  for (std::size_t i = 1; i < t.size(); ++i)
    EXPECT_NEAR(static_cast<double>(t[i] - t[i - 1]), 1e7, 1.0);
  EXPECT_LT(t.back(), 1'000'000'000);
}

TEST(arrival_schedule, poisson_is_seeded_and_has_the_asked_rate) {
  const auto a = arrival_offsets_ns(1000, 20.0, arrivals::poisson, 42);
  EXPECT_EQ(a, arrival_offsets_ns(1000, 20.0, arrivals::poisson, 42));
  EXPECT_NE(a, arrival_offsets_ns(1000, 20.0, arrivals::poisson, 43));
  // 20,000 expected arrivals: the count of a Poisson process has sd ~141.
  EXPECT_NEAR(static_cast<double>(a.size()), 20000.0, 5 * 141.0);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_LT(a.back(), 20'000'000'000);
  // Exponential gaps: their sd equals their mean (1 ms).
  std::vector<double> gaps;
  for (std::size_t i = 1; i < a.size(); ++i)
    gaps.push_back(static_cast<double>(a[i] - a[i - 1]));
  const double mean = std::accumulate(gaps.begin(), gaps.end(), 0.0) / gaps.size();
  double squares = 0;
  for (double g : gaps)
    squares += (g - mean) * (g - mean);
  EXPECT_NEAR(mean, 1e6, 0.05e6);
  EXPECT_NEAR(std::sqrt(squares / gaps.size()), 1e6, 0.05e6);
}

TEST(arrival_schedule, rejects_nonsense) {
  EXPECT_THROW((void)arrival_offsets_ns(0, 1, arrivals::uniform, 1), std::invalid_argument);
  EXPECT_THROW((void)arrival_offsets_ns(10, -1, arrivals::poisson, 1), std::invalid_argument);
  EXPECT_THROW((void)results::parse_arrivals("bursty"), std::invalid_argument);
}

TEST(latency_histogram, percentiles_within_one_percent_over_the_whole_range) {
  // Values spread log-uniformly from 2 us to 50 s: every percentile read from
  // the histogram is within 1 % of the exact one.
  std::vector<double> values;
  for (int i = 0; i < 10000; ++i)
    values.push_back(2e-6 * std::pow(50.0 / 2e-6, i / 9999.0));
  results::latency_histogram h;
  for (double v : values)
    h.add(v);
  EXPECT_EQ(h.count(), values.size());
  for (double p : {0.01, 0.25, 0.5, 0.9, 0.99, 0.999}) {
    const double exact = values[static_cast<std::size_t>(std::ceil(p * values.size())) - 1];
    EXPECT_NEAR(h.percentile(p) / exact, 1.0, 0.01) << "p" << p;
  }
  EXPECT_DOUBLE_EQ(h.percentile(1.0), values.back());
  EXPECT_DOUBLE_EQ(h.max(), values.back());
}

TEST(latency_histogram, out_of_range_values_are_counted_and_empty_is_zero) {
  results::latency_histogram h;
  EXPECT_EQ(h.percentile(0.5), 0.0);
  h.add(1e-7);
  h.add(120.0);
  const auto j = h.to_json();
  EXPECT_EQ(j["underflow"], 1);
  EXPECT_EQ(j["overflow"], 1);
  EXPECT_TRUE(j["counts"].empty());
  EXPECT_EQ(j["bins"], results::latency_histogram::bins);
  EXPECT_DOUBLE_EQ(h.percentile(1.0), 120.0);
}

TEST(open_loop, a_run_records_latency_from_intended_times_and_the_histogram) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const std::string out = testing::unique_temp_path("open_loop.json");
  const auto run = testing::run_program(
      POOLBENCH_PATH,
      {"--url", server.url(), "--rate", "50", "--duration", "0.4", "--workers", "2", "--delay-ms",
       "2", "--keepalive=both", "--arrivals", "uniform", "--out", out},
      120s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  EXPECT_EQ(doc["context"]["load_model"], "open-loop");
  EXPECT_EQ(doc["context"]["arrivals"], "uniform");
  EXPECT_EQ(doc["context"]["seed"], 1);
  static const std::regex name(
      R"((thread_pool|process_pool|async_pool)/warm/open/rate:50/workers:2/delay_ms:2(/keepalive:1)?)");
  std::size_t runs = 0;
  for (const auto& r : doc["benchmarks"]) {
    const std::string n = r["name"];
    EXPECT_TRUE(std::regex_match(n, name)) << n;
    ASSERT_FALSE(r.contains("error_occurred")) << r.dump();
    const auto& ol = r["open_loop"];
    EXPECT_EQ(ol["requests"], 20);  // 50/s for 0.4 s, uniform
    EXPECT_EQ(ol["completed"].get<int>() + ol["incomplete"].get<int>(), 20);
    // Latency runs from the intended send time, so it is never below the
    // service time of the same requests.
    EXPECT_GE(ol["latency_s"]["p50"].get<double>(), 0.002);
    EXPECT_GE(ol["latency_s"]["max"].get<double>(), ol["service_s"]["max"].get<double>());
    std::uint64_t in_histogram = r["histogram"]["underflow"].get<std::uint64_t>() +
                                 r["histogram"]["overflow"].get<std::uint64_t>();
    for (const auto& bin : r["histogram"]["counts"])
      in_histogram += bin[1].get<std::uint64_t>();
    EXPECT_EQ(in_histogram, ol["completed"].get<std::uint64_t>());
    for (const char* c :
         {"offered_rate", "achieved_rate", "p50", "p99", "p999", "max", "incomplete"})
      EXPECT_TRUE(r[c].is_number()) << c;
    ++runs;
  }
  EXPECT_EQ(runs, 6u);  // 3 pools x fresh/keep-alive
}

TEST(open_loop, serial_has_no_pool_to_queue_in) {
  const auto run =
      testing::run_program(POOLBENCH_PATH, {"--rate", "10", "--strategies", "serial"}, 30s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("serial has none"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace poolbench::runner
