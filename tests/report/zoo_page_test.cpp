// The executor zoo's file (poolbench --zoo): found by its context, kept out
// of the default run's tables and claims, given a section of its own with
// sentences computed from its rows, and a sentence in the README's block;
// `poolbench-report show` keeps it apart the same way.

#include "synthetic_results.hpp"
#include "test_support.hpp"

#include <poolbench/report/page/results_page.hpp>
#include <poolbench/report/page/zoo.hpp>
#include <poolbench/report/tables/print_table.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace poolbench::report {
namespace zoo_page_test {

using results::connection;
using results::pool_mode;
using results::strategy;

// A case of `s` with nine repetitions of `scale` x 10 ms (1% spread).
benchmark_result zoo_case(strategy s, std::size_t batch, std::size_t workers,
                          std::uint64_t delay_ms, double scale, double cpu_us) {
  results::workload w;
  w.strategy = s;
  w.mode = pool_mode::warm;
  w.batch = batch;
  w.workers = workers;
  w.delay_ms = delay_ms;
  w.connection = delay_ms > 0 ? connection::keep_alive : connection::fresh;
  std::vector<double> means;
  for (double m : testing::nine)
    means.push_back(m * scale / 1000);
  auto r = testing::synthetic(results::case_name(w), means);
  r.workload = w;
  r.params = results::parameters(w);
  r.counters["client_cpu_us_per_request"] = cpu_us;
  return r;
}

// The article's workload and two sweep points: thread_pool the fastest,
// asio_thread_pool within 1% of it, tbb three times its time, the floor
// faster than all (a measuring stick, never ranked).
result_file zoo_file(const std::string& path, const std::string& workload) {
  std::vector<benchmark_result> rows;
  for (std::size_t workers : {16, 64}) {
    rows.push_back(zoo_case(strategy::thread_pool, 4 * workers, workers, 10, 1.0, 40));
    rows.push_back(zoo_case(strategy("asio_thread_pool"), 4 * workers, workers, 10, 1.01, 30));
    rows.push_back(zoo_case(strategy("tbb"), 4 * workers, workers, 10, 3.0, 90));
    rows.push_back(zoo_case(strategy::floor, 4 * workers, workers, 10, 0.5, 5));
  }
  rows.push_back(zoo_case(strategy::thread_pool, 3, 3, 0, 1.0, 40));
  rows.push_back(zoo_case(strategy("tbb"), 3, 3, 0, 2.0, 80));
  auto file = testing::file_of(rows, path);
  file.format = source_format::poolbench;
  file.context.emplace_back("workload", workload);
  return file;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ZooPage, TheFileIsFoundByItsRecordedWorkload) {
  EXPECT_TRUE(is_zoo_file(zoo_file("zoo.json", "zoo")));
  EXPECT_TRUE(is_zoo_file(zoo_file("zoo.json", "zoo (quick)")));
  EXPECT_FALSE(is_zoo_file(zoo_file("latest.json", "default")));
  EXPECT_FALSE(is_zoo_file(zoo_file("zoo.json", "custom")));
}

TEST(ZooPage, SentencesLeadWithTheLargestSweepPointAndNeverRankTheFloor) {
  const auto lines = zoo_sentences(zoo_file("zoo.json", "zoo"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0],
            "On batch 256, 10 ms, keep-alive, thread_pool/64 had the shortest round of 3 "
            "strategies (10.0 ms); the slowest, tbb/64, took 3.00× the time; "
            "asio_thread_pool/64 took the same time (a tie within ±5%).");
  EXPECT_TRUE(contains(lines[1],
                       "On batch 3, no delay, a new connection per request, "
                       "thread_pool/3 had the shortest round of 2 strategies"))
      << lines[1];
  EXPECT_TRUE(contains(lines[2], "On batch 64, 10 ms, keep-alive,")) << lines[2];
  EXPECT_EQ(lines[3],
            "On batch 256, 10 ms, keep-alive: Client CPU per request from 30.0 µs "
            "(asio_thread_pool/64) to 90.0 µs (tbb/64).");
}

// With several others, the sentence counts them by verdict and names the
// undecided ones: "1 not decided" alone left a reader asking which.
TEST(ZooPage, TheUndecidedAreNamed) {
  std::vector<benchmark_result> rows;
  rows.push_back(zoo_case(strategy::thread_pool, 256, 64, 10, 1.0, 40));
  rows.push_back(zoo_case(strategy("asio_thread_pool"), 256, 64, 10, 1.01, 30));
  rows.push_back(zoo_case(strategy("on_the_margin"), 256, 64, 10, 1.05, 30));
  rows.push_back(zoo_case(strategy("half_again"), 256, 64, 10, 1.5, 30));
  rows.push_back(zoo_case(strategy("tbb"), 256, 64, 10, 3.0, 90));
  auto file = testing::file_of(rows, "zoo.json");
  file.format = source_format::poolbench;
  file.context.emplace_back("workload", "zoo");
  const auto lines = zoo_sentences(file);
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(contains(lines[0],
                       "; of the other 3, 1 decided slower, 1 the same time, 1 not "
                       "decided (on_the_margin/64)."))
      << lines[0];
}

TEST(ZooPage, RenderGivesItASectionAndTheReadmeItsHeadline) {
  testing::temp_dir dir;
  const auto readme = dir.path() / "README.md";
  std::ofstream(readme) << "# project\n\n<!-- poolbench:results-summary:begin -->\n"
                           "<!-- poolbench:results-summary:end -->\n";
  page_options options;
  options.out = dir.path() / "results" / "README.md";
  options.readme = readme;
  // The default run's file has the same article workload: its rows and the
  // zoo's are never pooled.
  auto latest = testing::file_of({zoo_case(strategy::thread_pool, 3, 3, 0, 1.0, 40),
                                  zoo_case(strategy::async_pool, 3, 3, 0, 1.5, 20)},
                                 (dir.path() / "results" / "latest.json").string());
  latest.format = source_format::poolbench;
  latest.context.emplace_back("workload", "default");
  const auto zoo = zoo_file((dir.path() / "results" / "zoo.json").string(), "zoo");
  const auto files = build_results_page({latest, zoo}, options);
  const auto& page = files.front().content;
  const auto section = page.find("## The executor zoo: every registered strategy");
  ASSERT_NE(section, std::string::npos) << page;
  const auto before = page.substr(0, section);
  const auto headline = zoo_sentences(zoo).front();
  // Its headline under "What the results say", linked to the section.
  EXPECT_TRUE(contains(before, "### The executor zoo\n\n" + headline +
                                   " ([details](#the-executor-zoo-every-registered-strategy-"
                                   "on-the-same-workloads))"))
      << before;
  // The default tables and claims hold latest.json's rows only.
  EXPECT_TRUE(contains(before, "async_pool/warm/batch:3/workers:3/delay_ms:0")) << before;
  EXPECT_FALSE(contains(before, "tbb/warm/batch:3")) << before;
  EXPECT_FALSE(contains(before, "keepalive:1")) << before;
  const auto zoo_part = page.substr(section);
  EXPECT_TRUE(contains(zoo_part, "- " + headline)) << zoo_part;
  EXPECT_TRUE(contains(zoo_part, "| workload | strategies | fastest | runner-up | claim |"));
  EXPECT_TRUE(contains(zoo_part, "### Zoo: batch=256 delay_ms=10 keepalive=1")) << zoo_part;
  EXPECT_TRUE(contains(zoo_part, "**cost per request")) << zoo_part;
  // The workers chart of the sweep, under the file's own name.
  const auto chart = std::find_if(files.begin(), files.end(), [](const generated_file& f) {
    return f.path.filename().string().starts_with("zoo-workers-");
  });
  ASSERT_NE(chart, files.end());
  EXPECT_TRUE(contains(zoo_part, "](charts/" + chart->path.filename().string() + ")"));
  EXPECT_TRUE(contains(chart->content, "asio_thread_pool"));
  // The README's block: one sentence, computed, naming its file.
  const auto& block = files.back();
  ASSERT_EQ(block.path, readme);
  EXPECT_TRUE(contains(block.content, "- The executor zoo: " + headline + "\n")) << block.content;
  EXPECT_TRUE(contains(block.content, "zoo.json")) << block.content;
}

// The default run's file: the article's workload, as the zoo's.
result_file latest_file(const std::string& path) {
  auto latest = testing::file_of({zoo_case(strategy::thread_pool, 3, 3, 0, 1.0, 40),
                                  zoo_case(strategy::async_pool, 3, 3, 0, 1.5, 20)},
                                 path);
  latest.format = source_format::poolbench;
  latest.context.emplace_back("workload", "default");
  return latest;
}

std::string shown(const std::vector<result_file>& files, output_format format) {
  show_options options;
  options.format = format;
  options.wide = true;  // one line per sentence
  std::ostringstream out;
  print_results(out, files, options);
  return out.str();
}

TEST(ZooShow, TheZooIsShownApartUnderItsOwnTitleNeverInTheDefaultTables) {
  const auto zoo = zoo_file("results/zoo.json", "zoo");
  const auto text = shown({latest_file("results/latest.json"), zoo}, output_format::term);
  const auto section = text.find(
      "\nThe executor zoo: every registered strategy on the same "
      "workloads\n  From results/zoo.json: ");
  ASSERT_NE(section, std::string::npos) << text;
  // Before it, latest.json's rows and claims only: its two strategies in one
  // table (pooled with the zoo's rows, the tables would be split by workload).
  const auto before = text.substr(0, section);
  EXPECT_TRUE(contains(before, "benchmark: 2 tests")) << before;
  EXPECT_TRUE(contains(before, "async_pool")) << before;
  EXPECT_FALSE(contains(before, "tbb")) << before;
  EXPECT_FALSE(contains(before, "keepalive=1")) << before;
  // After it, the zoo's sentences, its tables and its own claims.
  const auto part = text.substr(section);
  EXPECT_TRUE(contains(part, "\n  - " + zoo_sentences(zoo).front() + "\n")) << part;
  EXPECT_TRUE(contains(part, "benchmark 'batch=256 delay_ms=10 keepalive=1': 4 tests")) << part;
  EXPECT_TRUE(contains(part, "tbb")) << part;
  EXPECT_FALSE(contains(part, "async_pool")) << part;
  EXPECT_TRUE(contains(part, "What the results say")) << part;
  // Markdown: the section under the page's heading.
  const auto md = shown({latest_file("latest.json"), zoo}, output_format::md);
  EXPECT_TRUE(contains(md,
                       "\n## The executor zoo: every registered strategy on the same "
                       "workloads\n\nFrom results/zoo.json: "))
      << md;
}

TEST(ZooShow, AZooFileAloneHasItsSectionAndNoEmptyDefaultTable) {
  const auto text = shown({zoo_file("zoo.json", "zoo")}, output_format::term);
  EXPECT_FALSE(contains(text, "no benchmarks")) << text;
  EXPECT_TRUE(contains(text, "\n\nThe executor zoo: every registered strategy")) << text;
  EXPECT_FALSE(contains(text, "\n\n\n")) << text;
}

TEST(ZooPage, WithoutAZooFileThePageHasNoZooSection) {
  page_options options;
  options.out = "out/README.md";
  const auto files = build_results_page({zoo_file("latest.json", "default")}, options);
  EXPECT_FALSE(contains(files.front().content, "executor zoo"));
  EXPECT_TRUE(std::none_of(files.begin(), files.end(), [](const generated_file& f) {
    return f.path.filename().string().starts_with("zoo-");
  }));
}

}  // namespace zoo_page_test
}  // namespace poolbench::report
