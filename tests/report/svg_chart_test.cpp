// The charts: their scale (linear from zero, or logarithmic past 10x),
// outliers that never set it, the repetitions' interval of the mean, the
// floor as a reference line, failed benchmarks as notes, and reviewed SVGs
// (fixtures/expected/charts/) for their structure. Look at them as a reader
// would with `rsvg-convert -o chart.png chart.svg`.

#include "test_support.hpp"

#include <poolbench/report/charts/chart_parts.hpp>
#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/tables/table.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

// The one table of a fixture grouped by workload, as the results page has it.
report::table workload_table(const std::string& name) {
  const auto tables =
      report::build_tables({report::load_result_file(fixture(name))},
                           {report::default_columns(), "mean", {"batch", "delay_ms"}});
  EXPECT_EQ(tables.size(), 1u);
  return tables.front();
}

void expect_matches_file(const std::string& svg, const std::string& expected_name) {
  const auto path = fixture("expected/charts/" + expected_name);
  if (std::getenv("POOLBENCH_UPDATE_EXPECTED") != nullptr) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    report::testing::write_text(path, svg);
  }
  EXPECT_EQ(svg, report::testing::read_text(path)) << "differs from " << path;
}

// A benchmark of `rounds` with repetitions of the given means.
report::benchmark_result benchmark(const std::string& name, std::vector<double> rounds,
                                   std::vector<double> repetitions) {
  report::benchmark_result r;
  r.name = name;
  r.params["strategy"] = name.substr(0, name.find('/'));
  r.params["mode"] = "warm";
  r.samples = std::move(rounds);
  r.stats = report::compute_statistics(r.samples);
  r.repetition_means = std::move(repetitions);
  return r;
}

TEST(ChartAxis, LinearFromZeroUpToTenfoldLogBeyond) {
  const auto linear = report::chart_axis::for_span(4e-3, 12e-3);
  EXPECT_FALSE(linear.logarithmic());
  EXPECT_EQ(linear.low(), 0);
  EXPECT_DOUBLE_EQ(linear.high(), 15e-3);
  EXPECT_EQ(linear.ticks().size(), 4u);  // 0, 5, 10, 15 ms
  const auto log = report::chart_axis::for_span(120e-6, 11e-3);
  EXPECT_TRUE(log.logarithmic());
  // The data's span widened by (max / min)^0.05 each way, no more.
  const double pad = std::pow(11e-3 / 120e-6, 0.05);
  EXPECT_NEAR(log.low(), 120e-6 / pad, 1e-12);
  EXPECT_NEAR(log.high(), 11e-3 * pad, 1e-12);
  EXPECT_NEAR(log.fraction(1e-3), std::log(1e-3 / log.low()) / std::log(log.high() / log.low()),
              1e-12);
  EXPECT_EQ(log.ticks(), (std::vector<double>{100e-6, 200e-6, 500e-6, 1e-3, 2e-3, 5e-3, 10e-3}));
  // A narrow span gets finer marks: 4.5 to 10.6 ms, as time vs workers has.
  const auto narrow = report::chart_axis::logarithmic(4.5e-3, 10.6e-3);
  EXPECT_GE(narrow.ticks().size(), 3u);
  const auto decades = report::chart_axis::logarithmic(1e-6, 50);
  for (double t : decades.ticks())
    EXPECT_NEAR(std::log10(t), std::round(std::log10(t)), 1e-9) << t;
  EXPECT_EQ(report::time_label(250e-6), "250 µs");
  EXPECT_EQ(report::time_label(1.5e-3), "1.5 ms");
  EXPECT_EQ(report::time_label(2), "2 s");
}

TEST(MeanInterval, StudentTOverRepetitions) {
  const auto r = benchmark("thread_pool/warm/workers:1", {1, 2, 3}, {1.0, 2.0, 3.0});
  const auto ci = report::repetition_interval(r);
  ASSERT_TRUE(ci.has_value());
  EXPECT_DOUBLE_EQ(ci->mean, 2.0);
  EXPECT_NEAR(ci->high - ci->mean, 4.3027 * 1.0 / std::sqrt(3.0), 1e-4);  // t(0.975, 2)
  EXPECT_EQ(ci->repetitions, 3u);
  EXPECT_FALSE(report::repetition_interval(benchmark("a/warm", {1}, {1.0})).has_value());
  auto failed = r;
  failed.error = "boom";
  EXPECT_FALSE(report::repetition_interval(failed).has_value());
}

TEST(WhiskerChart, OneSlowRoundDoesNotSetTheScale) {
  std::vector<double> rounds(40, 6e-3);
  for (std::size_t i = 0; i < rounds.size(); ++i)
    rounds[i] += static_cast<double>(i % 5) * 1e-4;
  rounds.push_back(15e-3);  // the slow round
  const auto svg = report::whisker_chart(
      {benchmark("thread_pool/warm/workers:4", rounds, {6.1e-3, 6.2e-3, 6.25e-3}),
       benchmark("async_pool/warm/workers:4", std::vector<double>(20, 5e-3), {5e-3, 5e-3})},
      "t");
  EXPECT_EQ(svg.find(">15 ms<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">+1<"), std::string::npos);  // counted at the axis' end
  EXPECT_EQ(svg.find("log scale"), std::string::npos);
  EXPECT_NE(svg.find("stroke=\"#1f77b4\""), std::string::npos);  // thread pools: blue
  EXPECT_NE(svg.find("stroke=\"#2ca02c\""), std::string::npos);  // async pools: green
}

TEST(WhiskerChart, LogScaleWhenValuesSpanMoreThanTenfold) {
  const auto svg =
      report::whisker_chart({benchmark("thread_pool/warm", {100e-6, 110e-6, 120e-6}, {}),
                             benchmark("process_pool/warm", {9e-3, 10e-3, 11e-3}, {})},
                            "t");
  EXPECT_NE(svg.find("time per round (log scale)"), std::string::npos);
  const auto narrow = report::whisker_chart({benchmark("thread_pool/warm", {1e-3, 1.1e-3}, {}),
                                             benchmark("process_pool/warm", {9e-3, 9.5e-3}, {})},
                                            "t");
  EXPECT_NE(narrow.find(">time per round<"), std::string::npos);
}

TEST(WhiskerChart, FailedIsANoteFloorIsALineLabelsAreShort) {
  const auto t = workload_table("poolbench_failed.json");
  const auto svg = report::whisker_chart(t.rows, "Time per round: " + t.group, t.short_names);
  expect_matches_file(svg, "failed.whiskers.svg");
  EXPECT_NE(svg.find(">failed: GET /hello/name-2: connection refused retry gave up<"),
            std::string::npos);
  EXPECT_NE(svg.find(">thread_pool/warm/workers:3<"), std::string::npos);
  EXPECT_EQ(svg.find("batch:3"), std::string::npos);
  // Boxes for the 3 that ran (not the failed one, not the floor), and the key.
  EXPECT_EQ(count(svg, "<rect x="), 4u);
  EXPECT_NE(svg.find(">floor median 100 µs<"), std::string::npos);
  EXPECT_EQ(count(svg, "stroke-dasharray=\"5 3\""), 1u);  // the floor's line
  // The 95 % intervals: a mean dot each for the 3 that ran.
  EXPECT_EQ(count(svg, "r=\"2.5\" fill=\"black\""), 3u + 1u);  // and the key's
}

TEST(WorkersChart, LogLogWithFloorIntervalsAndFailures) {
  const auto t = workload_table("poolbench_failed.json");
  const auto svg = report::workers_chart(t.rows, "Time vs workers: " + t.group, t.short_names);
  expect_matches_file(svg, "failed.workers.svg");
  EXPECT_NE(svg.find("workers (log scale)"), std::string::npos);
  EXPECT_NE(svg.find("mean time per round (log scale)"), std::string::npos);
  // async_pool/warm; thread_pool/warm keeps one point: no line.
  EXPECT_EQ(count(svg, "<polyline"), 1u);
  // The failed workers:3 point is left out; the legend shows each series' point.
  EXPECT_EQ(count(svg, "<circle"), 3u + 2u);
  EXPECT_NE(svg.find(">thread_pool/warm/workers:3: failed: GET /hello/name-2"), std::string::npos);
  EXPECT_NE(svg.find(">floor mean: 100 µs, the least a round can take<"), std::string::npos);
  // No series with two points: nothing to read against workers.
  const auto base = report::load_result_file(fixture("google_benchmark_plain.json"));
  EXPECT_EQ(report::workers_chart(base.benchmarks, "w"), "");
}

TEST(WhiskerChart, SummariesOnlyAndNothingAtAll) {
  const auto f = report::load_result_file(fixture("google_benchmark_aggregates_only.json"));
  const auto svg = report::whisker_chart(f.benchmarks, "means only <&>");
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_NE(svg.find("means only &lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(count(svg, "stroke-width=\"2.5\""), 2u + 1u);  // a median mark each, and the key's
  const auto empty = report::whisker_chart({}, "empty");
  EXPECT_EQ(empty.substr(empty.size() - 7), "</svg>\n");
}

TEST(ChartStyle, OneColourPerStrategyEverywhere) {
  const auto warm = benchmark("process_pool/warm/batch:3", {1}, {});
  auto cold = warm;
  cold.params["mode"] = "cold";
  EXPECT_EQ(report::style_of(warm).colour, report::style_of(cold).colour);
  EXPECT_TRUE(report::style_of(cold).cold);
  report::benchmark_result floor;
  floor.name = "floor/batch:3/delay_ms:0";
  EXPECT_TRUE(report::is_floor(floor));
  EXPECT_FALSE(report::is_floor(warm));
}

}  // namespace
