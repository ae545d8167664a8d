// Open-loop results: loading what poolbench --rate writes, the saturation
// point, the tables and the chart.

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/open_loop/open_loop.hpp>
#include <poolbench/report/page/results_page.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace poolbench::report {
namespace {

// A real file: poolbench --rate 100,300,600 --duration 1 --workers 4
// --delay-ms 10 --keepalive (4 workers x 10 ms: at most ~400 req/s).
const std::string fixture = std::string(POOLBENCH_REPORT_FIXTURES) + "/open_loop.json";

// An open-loop run as the loader gives it: its workload and its section.
benchmark_result point(const char* strategy, double rate, double p99, std::size_t incomplete = 0) {
  results::workload w;
  w.strategy = results::parse_strategy(strategy == std::string("a") ? "thread_pool" : strategy);
  w.workers = 4;
  w.delay_ms = 10;
  w.open_loop = results::open_loop_load{rate, std::nullopt};
  benchmark_result p;
  p.name = results::case_name(w);
  p.workload = w;
  p.open_loop = open_loop_run{};
  p.open_loop->offered_rate = rate;
  p.open_loop->latency.p50 = p99 / 2;
  p.open_loop->latency.p99 = p99;
  p.open_loop->incomplete = incomplete;
  return p;
}

TEST(open_loop, loads_every_strategy_and_rate_of_a_real_file) {
  const auto points = load_open_loop(fixture);
  ASSERT_EQ(points.size(), 9u);
  for (const auto& r : points) {
    ASSERT_TRUE(r.workload && r.open_loop) << r.name;
    const auto& p = r.open_loop->latency;
    EXPECT_EQ(r.workload->workers, 4u);
    EXPECT_EQ(r.workload->delay_ms, 10u);
    EXPECT_TRUE(r.workload->keep_alive());
    EXPECT_TRUE(r.error.empty());
    EXPECT_GT(p.p99, 0.0);
    EXPECT_LE(p.p50, p.p99);
    EXPECT_LE(p.p99, p.max);
  }
  EXPECT_TRUE(
      load_open_loop(std::string(POOLBENCH_REPORT_FIXTURES) + "/poolbench_base.json").empty());
  EXPECT_THROW((void)load_open_loop("/nonexistent.json"), input_error);
}

TEST(open_loop, saturation_is_the_highest_rate_holding_the_slo_from_below) {
  const std::vector<benchmark_result> held{point("a", 100, 0.02), point("a", 200, 0.05),
                                           point("a", 300, 0.5), point("a", 400, 0.04)};
  EXPECT_EQ(saturation_rate(held, 0.1), 200.0);  // 400 is under again, but 300 broke it
  EXPECT_EQ(saturation_rate({point("a", 100, 0.2)}, 0.1), std::nullopt);
  // An unanswered request is a miss, whatever the answered ones' p99.
  EXPECT_EQ(saturation_rate({point("a", 100, 0.01), point("a", 200, 0.01, 3)}, 0.1), 100.0);
  EXPECT_DOUBLE_EQ(default_slo_s(10), 0.1);
  EXPECT_DOUBLE_EQ(default_slo_s(0), 0.005);
}

TEST(open_loop, table_names_each_strategy_rate_and_saturation) {
  std::ostringstream out;
  print_open_loop_tables(out, load_open_loop(fixture), std::nullopt, false);
  const std::string text = out.str();
  EXPECT_NE(text.find("open loop: workers:4 delay_ms:10 keepalive:1"), std::string::npos) << text;
  for (const char* s : {"thread_pool", "process_pool", "async_pool"})
    EXPECT_NE(text.find(s), std::string::npos) << s;
  EXPECT_NE(text.find("Saturation (highest offered rate with p99 <= 100.00 ms"), std::string::npos)
      << text;
  std::ostringstream md;
  auto points = load_open_loop(fixture);
  points.front().error = "GET x: wrong";
  print_open_loop_tables(md, points, 0.05, true);
  EXPECT_NE(md.str().find("| Strategy | Offered req/s |"), std::string::npos) << md.str();
  EXPECT_NE(md.str().find("failed: GET x: wrong"), std::string::npos) << md.str();
  EXPECT_NE(md.str().find("p99 <= 50.00 ms"), std::string::npos) << md.str();
}

// One table per workload, read by workers as numbers (4 before 16), then
// delay and connection.
TEST(open_loop, workloads_are_read_by_workers_delay_and_connection) {
  std::vector<benchmark_result> rows;
  for (const std::size_t workers : {16u, 4u}) {
    auto r = point("thread_pool", 100, 0.02);
    r.workload->workers = workers;
    r.name = results::case_name(*r.workload);
    rows.push_back(r);
  }
  std::ostringstream out;
  print_open_loop_tables(out, rows, std::nullopt, true);
  const auto four = out.str().find("#### Open loop, workers:4 delay_ms:10 keepalive:0");
  const auto sixteen = out.str().find("#### Open loop, workers:16 delay_ms:10 keepalive:0");
  ASSERT_NE(four, std::string::npos) << out.str();
  ASSERT_NE(sixteen, std::string::npos) << out.str();
  EXPECT_LT(four, sixteen) << out.str();
  EXPECT_LT(open_loop_key_of(rows[1]), open_loop_key_of(rows[0]));
  EXPECT_EQ(open_loop_workload(open_loop_key_of(rows[0])), "workers:16 delay_ms:10 keepalive:0");
}

TEST(open_loop, chart_draws_p99_and_p50_per_strategy_and_marks_saturation) {
  const std::vector<benchmark_result> points{
      point("thread_pool", 100, 0.02), point("thread_pool", 200, 0.5),
      point("async_pool", 100, 0.02), point("async_pool", 200, 0.03)};
  const auto svg = open_loop_chart_svg(points, 0.1, "open loop");
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  std::size_t lines = 0, dots = 0;
  for (auto at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1))
    ++lines;
  for (auto at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1))
    ++dots;
  EXPECT_EQ(lines, 4u);  // p99 and p50 for each of the two strategies
  EXPECT_EQ(dots, 2u);   // thread_pool saturates above 100, async_pool above 200
  EXPECT_NE(svg.find("async_pool saturates above 200 req/s"), std::string::npos);
  EXPECT_NE(svg.find(">SLO 100 ms<"), std::string::npos);
}

TEST(open_loop, the_results_page_has_an_open_loop_section_and_chart) {
  page_options options;
  options.out = "results/README.md";
  const auto generated = build_results_page({load_result_file(fixture)}, options);
  const std::string& page = generated.front().content;
  EXPECT_NE(page.find("## Open loop: which pool holds its tail at a given load"),
            std::string::npos);
  EXPECT_NE(page.find("#### Open loop, workers:4 delay_ms:10 keepalive:1"), std::string::npos);
  EXPECT_NE(page.find("Saturation (highest offered rate"), std::string::npos);
  const auto chart = std::find_if(generated.begin(), generated.end(), [](const auto& f) {
    return f.path.filename().string().rfind("open-loop-", 0) == 0;
  });
  ASSERT_NE(chart, generated.end());
  EXPECT_EQ(chart->content.rfind("<svg", 0), 0u);
  EXPECT_NE(page.find("](charts/" + chart->path.filename().string() + ")"), std::string::npos)
      << page;
}

// Reviewed output of the real file: the terminal table (through the tables'
// writer) and the chart, looked at as PNG before it was kept.
void expect_matches(const std::string& actual, const std::string& name) {
  const auto path = std::string(POOLBENCH_REPORT_FIXTURES) + "/expected/" + name;
  if (std::getenv("POOLBENCH_UPDATE_EXPECTED") != nullptr)
    std::ofstream(path, std::ios::binary) << actual;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(actual, text.str()) << "differs from " << path;
}

TEST(open_loop, table_and_chart_match_the_reviewed_files) {
  const auto rows = load_open_loop(fixture);
  render_options options;
  options.width = 120;
  std::ostringstream term;
  print_open_loop_tables(term, rows, std::nullopt, options);
  expect_matches(term.str(), "open_loop.term.txt");
  expect_matches(open_loop_chart_svg(rows, 0.1, "Open loop, workers:4 delay_ms:10 keepalive:1"),
                 "charts/open_loop.svg");
}

TEST(open_loop, achieved_above_offered_is_explained_only_when_it_happens) {
  auto rows = load_open_loop(fixture);
  auto legend = open_loop_legend(rows);
  ASSERT_EQ(legend.size(), 1u);  // every run of the file achieved less than offered
  rows[1].open_loop->achieved_rate = rows[1].open_loop->offered_rate * 1.05;
  legend = open_loop_legend(rows);
  ASSERT_EQ(legend.size(), 2u);
  EXPECT_NE(legend[1].find("Achieved above Offered"), std::string::npos) << legend[1];
  EXPECT_NE(legend[1].find("the Poisson schedule drew more arrivals than the nominal rate"),
            std::string::npos)
      << legend[1];
  std::ostringstream text;
  print_open_loop_tables(text, rows, std::nullopt, false);
  EXPECT_NE(text.str().find("Achieved above Offered"), std::string::npos);
}

TEST(open_loop, runs_are_part_of_the_loaded_file_with_their_histogram) {
  const auto file = load_result_file(fixture);
  ASSERT_EQ(file.benchmarks.size(), 9u);
  for (const auto& b : file.benchmarks) {
    ASSERT_TRUE(b.open_loop && b.open_loop->histogram) << b.name;
    // The histogram holds every answered request, the params every key.
    EXPECT_EQ(b.open_loop->histogram->count(), b.open_loop->completed) << b.name;
    EXPECT_EQ(b.params.at("keepalive"), "1");
    EXPECT_EQ(b.params.count("rate"), 1u);
  }
  EXPECT_TRUE(closed_loop_part({file}).front().benchmarks.empty());
}

}  // namespace
}  // namespace poolbench::report
