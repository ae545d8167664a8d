// Charts against workers: one panel per workload family (a fixed batch, or
// the sweep's batch = k × workers), keep-alive dashed apart, the ideal round
// of delayed workloads, bound points marked, the cost metrics from the
// counters; and the box chart's key naming only what it draws.

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/charts/workload_family.hpp>
#include <poolbench/report/page/results_page.hpp>
#include <poolbench/stats/statistics.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace {

namespace report = poolbench::report;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

// A poolbench case as the loader gives it; mean `mean` s, no rounds kept.
report::benchmark_result make_case(const std::string& strategy, int batch, int workers, int delay,
                                   bool keepalive, double mean,
                                   std::map<std::string, double> counters = {}) {
  report::benchmark_result r;
  r.file = "a.json";
  r.params = {{"strategy", strategy},
              {"batch", std::to_string(batch)},
              {"delay_ms", std::to_string(delay)},
              {"keepalive", keepalive ? "1" : "0"}};
  r.name = strategy + "/batch:" + std::to_string(batch);
  if (strategy != "floor") {
    r.params["mode"] = "warm";
    r.params["workers"] = std::to_string(workers);
    r.name =
        strategy + "/warm/batch:" + std::to_string(batch) + "/workers:" + std::to_string(workers);
  }
  r.name += "/delay_ms:" + std::to_string(delay) + (keepalive ? "/keepalive:1" : "");
  r.samples = {mean * 0.9, mean, mean * 1.1};
  r.stats = report::compute_statistics(r.samples);
  r.counters = std::move(counters);
  return r;
}

std::vector<report::benchmark_result> sweep_and_fixed() {
  return {
      make_case("thread_pool", 100, 4, 10, true, 0.26),
      make_case("thread_pool", 100, 16, 10, true, 0.075),
      make_case("thread_pool", 100, 4, 10, false, 0.27),
      make_case("thread_pool", 100, 16, 10, false, 0.08),
      make_case("floor", 100, 0, 10, true, 0.011),
      make_case("async_pool", 256, 64, 10, true, 0.045, {{"client_cpu_us_per_request", 20}}),
      make_case("async_pool", 1024, 256, 10, true, 0.06,
                {{"client_cpu_us_per_request", 18}, {"server_busy", 0.95}}),
      make_case("async_pool", 4096, 1024, 10, true, 0.09,
                {{"client_cpu_us_per_request", 25}, {"client_busy", 0.97}}),
  };
}

TEST(WorkloadFamily, FixedBatchesAndTheSweepApart) {
  const auto families = report::workload_families(sweep_and_fixed());
  ASSERT_EQ(families.size(), 2u);
  EXPECT_EQ(families[0].title, "batch 100, delay 10 ms");
  EXPECT_EQ(families[0].slug, "batch-100_delay_ms-10");
  EXPECT_EQ(families[0].rows, (std::vector<std::size_t>{0, 1, 2, 3, 4}));  // with its floor
  EXPECT_EQ(families[1].title, "batch = 4 × workers, delay 10 ms");
  EXPECT_EQ(families[1].batch_per_worker, 4.0);
  EXPECT_EQ(families[1].rows, (std::vector<std::size_t>{5, 6, 7}));
  EXPECT_DOUBLE_EQ(*report::ideal_round_s(sweep_and_fixed()[1]), 7 * 0.010);  // ceil(100/16)
  EXPECT_FALSE(report::ideal_round_s(make_case("thread_pool", 100, 4, 0, true, 1)).has_value());
}

TEST(WorkersChart, OnePanelPerFamilyWithIdealAndBoundMarks) {
  const auto svg = report::workers_chart(sweep_and_fixed(), "t");
  EXPECT_NE(svg.find(">batch 100, delay 10 ms<"), std::string::npos);
  EXPECT_NE(svg.find(">batch = 4 × workers, delay 10 ms<"), std::string::npos);
  // A line per series: thread_pool with and without keep-alive, async_pool,
  // and an ideal round per panel.
  EXPECT_EQ(count(svg, "<polyline"), 3u + 2u);
  EXPECT_NE(svg.find(">thread_pool/warm/keepalive:1<"), std::string::npos);  // less batch, delay
  EXPECT_NE(svg.find("dashed: a new connection per request"), std::string::npos);
  EXPECT_NE(svg.find(">ideal round: ceil(batch / workers) × delay<"), std::string::npos);
  // The bound points: a ring (server) and a square (client), and their entries.
  EXPECT_EQ(count(svg, "r=\"8.0\" fill=\"none\""), 1u + 1u);
  EXPECT_EQ(count(svg, "width=\"20.0\" height=\"20.0\" fill=\"none\""), 1u + 1u);
  EXPECT_NE(svg.find(">server-bound: "), std::string::npos);
  EXPECT_NE(svg.find(">client-bound: "), std::string::npos);
  // Without bound points, no bound entries.
  auto calm = sweep_and_fixed();
  calm.resize(5);
  const auto quiet = report::workers_chart(calm, "t");
  EXPECT_EQ(quiet.find("-bound: "), std::string::npos);
  EXPECT_EQ(quiet.find(">batch 100, delay 10 ms<"), std::string::npos);  // one panel: no title
}

TEST(WorkersChart, TwoFilesKeepTheirNamesShortAndTheirPointsApart) {
  auto rows = sweep_and_fixed();
  rows.resize(2);
  auto other = rows;
  for (auto& r : other)
    r.file = "dir/b.json";
  rows.insert(rows.end(), other.begin(), other.end());
  const auto svg = report::workers_chart(rows, "t", report::file_distinct_labels(rows));
  EXPECT_NE(svg.find(">thread_pool/warm/keepalive:1 (a)<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">thread_pool/warm/keepalive:1 (b)<"), std::string::npos);
  EXPECT_EQ(svg.find("delay_ms:10"), std::string::npos);
  EXPECT_NE(svg.find("point shape: file"), std::string::npos);
  EXPECT_EQ(count(svg, "<rect x="), 2u + 1u);  // b's points are squares, and its legend's
}

TEST(WorkersChart, CostMetricsComeFromTheCounters) {
  const auto cpu =
      report::workers_chart(sweep_and_fixed(), "cpu", {}, report::workers_metric::client_cpu);
  EXPECT_NE(cpu.find("client CPU per request (log scale)"), std::string::npos);
  EXPECT_EQ(count(cpu, "<polyline"), 1u);  // only the sweep has the counter; no ideal line
  EXPECT_NE(cpu.find(">20 µs<"), std::string::npos) << cpu;
  // No case has peak_pss_mib: nothing to draw.
  EXPECT_EQ(report::workers_chart(sweep_and_fixed(), "m", {}, report::workers_metric::memory), "");
}

TEST(WorkersSection, ThreeChartsPerFamilyWhereTheMetricExists) {
  report::result_file f;
  f.path = "a.json";
  f.benchmarks = sweep_and_fixed();
  report::page_options options;
  options.out = "out/README.md";
  std::ostringstream page;
  std::vector<report::generated_file> charts;
  report::write_workers_section(page, charts, {f}, options);
  ASSERT_EQ(charts.size(), 3u) << page.str();  // 2 time charts, the sweep's CPU chart
  EXPECT_EQ(charts[0].path.generic_string(), "out/charts/workers-batch-100_delay_ms-10.svg");
  EXPECT_EQ(charts[2].path.generic_string(), "out/charts/cpu-batch-4x-workers_delay_ms-10.svg");
  EXPECT_NE(page.str().find("### batch = 4 × workers, delay 10 ms"), std::string::npos);
}

TEST(WhiskerChart, TheKeyNamesOnlyWhatIsDrawnAndExplainsPlusN) {
  report::benchmark_result a;
  a.name = "test_a";
  a.params["strategy"] = "async_pool";
  a.samples = std::vector<double>(40, 2e-3);
  for (std::size_t i = 0; i < a.samples.size(); ++i)
    a.samples[i] += static_cast<double>(i % 4) * 1e-4;
  a.samples.push_back(0.5);  // far beyond the axis
  a.stats = report::compute_statistics(a.samples);
  const auto svg = report::whisker_chart({a}, "python");
  // pytest-benchmark rows have no repetitions: no interval, and none in the key.
  EXPECT_EQ(svg.find("95 % interval"), std::string::npos);
  EXPECT_NE(svg.find(">+1<"), std::string::npos);
  EXPECT_NE(svg.find("N outlier rounds beyond the axis"), std::string::npos);
}

TEST(WhiskerChart, ABoundCaseSaysSoBesideItsName) {
  auto rows = sweep_and_fixed();
  const auto svg = report::whisker_chart({rows[5], rows[6], rows[7]}, "t");
  EXPECT_NE(svg.find("workers:256/delay_ms:10/keepalive:1 (server-bound)<"), std::string::npos)
      << svg;
  EXPECT_NE(svg.find("workers:1024/delay_ms:10/keepalive:1 (client-bound)<"), std::string::npos);
  EXPECT_NE(svg.find("workers:64/delay_ms:10/keepalive:1<"), std::string::npos);
}

TEST(WhiskerChart, CloseFloorLabelsDoNotOverlap) {
  auto floor_case = [](const std::string& file, double t) {
    report::benchmark_result r;
    r.name = "floor/batch:3/delay_ms:0 (" + file + ")";
    r.file = file + ".json";
    r.samples = {t, t, t};
    r.stats = report::compute_statistics(r.samples);
    return r;
  };
  report::benchmark_result pool = floor_case("x", 300e-6);
  pool.name = "thread_pool/warm";
  pool.params = {{"strategy", "thread_pool"}, {"mode", "warm"}};
  const auto svg =
      report::whisker_chart({floor_case("a", 279.8e-6), floor_case("b", 280.5e-6), pool}, "t");
  const auto first = svg.find(">floor/batch:3/delay_ms:0 (a) median");
  const auto second = svg.find(">floor/batch:3/delay_ms:0 (b) median");
  ASSERT_NE(first, std::string::npos) << svg;
  ASSERT_NE(second, std::string::npos);
  auto y_of = [&](std::size_t at) {
    const auto tag = svg.rfind("<text", at);
    const auto y = svg.find("y=\"", tag) + 3;
    return std::stod(svg.substr(y));
  };
  EXPECT_GE(std::abs(y_of(first) - y_of(second)), 10.0);
}

}  // namespace
