// What each case cost, as the report shows it and compare gates on it, on
// the cost fixtures (make_cost_fixtures.py): the same round times in both
// files, async_pool 30% more CPU per request and process_pool 30% more PSS
// in cost_new.json; thread_pool server-bound, async_pool client-bound.

#include "test_support.hpp"

#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/page/results_page.hpp>
#include <poolbench/report/tables/cost_table.hpp>
#include <poolbench/report/tables/print_table.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;

std::string show(const std::string& file, report::show_options options) {
  std::ostringstream out;
  report::print_table(out, report::load_result_files({fixture(file)}), options);
  return out.str();
}

// The line of `text` from `what` on (to its end of line), or "".
std::string line_with(const std::string& text, const std::string& what, std::size_t from = 0) {
  const auto at = text.find(what, from);
  if (at == std::string::npos)
    return "";
  const auto start = text.rfind('\n', at);
  const auto begin = start == std::string::npos ? 0 : start + 1;
  return text.substr(begin, text.find('\n', at) - begin);
}

TEST(CostTable, FollowsTheTimeTableWithEveryCounterWhenWide) {
  report::show_options options;
  options.wide = true;
  const auto text = show("cost_base.json", options);
  const auto time = text.find("benchmark: 3 tests");
  const auto cost = text.find("cost per request: 3 tests");
  ASSERT_NE(time, std::string::npos) << text;
  ASSERT_NE(cost, std::string::npos) << text;
  EXPECT_LT(time, cost);
  const auto header = line_with(text, "Name (cost)");
  for (const char* heading : {"CPU us/req", "switches/req", "proc MiB", "KiB/worker", "start ms",
                              "server us/req", "client busy", "server busy"})
    EXPECT_NE(header.find(heading), std::string::npos) << heading << "\n" << header;
  // async_pool: 30.0 us/req, the cheapest (1.0); process_pool twice that.
  EXPECT_NE(line_with(text, "async_pool", cost).find("30.0 (1.0)"), std::string::npos) << text;
  EXPECT_NE(line_with(text, "process_pool", cost).find("60.0 (2.00)"), std::string::npos) << text;
  // Start in ms: process_pool's 3500 us.
  EXPECT_NE(line_with(text, "process_pool", cost).find("3.5"), std::string::npos) << text;
  EXPECT_NE(line_with(text, "thread_pool", cost).find("[server-bound]"), std::string::npos);
  EXPECT_NE(text.find("Cost (means over the repetitions"), std::string::npos);
}

TEST(CostTable, FitsTheWidthByDroppingTheLeastImportantColumns) {
  report::show_options options;
  options.width = 130;
  const auto text = show("cost_base.json", options);
  const auto header = line_with(text, "Name (cost)");
  EXPECT_LE(header.size(), 130u) << header;
  EXPECT_NE(header.find("CPU us/req"), std::string::npos) << header;
  EXPECT_EQ(header.find("client busy"), std::string::npos) << header;
  // The legend wraps at 130 columns wherever its words fall: one space
  // for each run of white space.
  std::string legend;
  for (const char c : text) {
    const bool blank = c == ' ' || c == '\n';
    if (!blank || legend.empty() || legend.back() != ' ')
      legend.push_back(blank ? ' ' : c);
  }
  EXPECT_NE(legend.find("columns: client busy, server busy"), std::string::npos) << text;
}

TEST(CostTable, NoneForFilesWithoutCounters) {
  for (const char* file : {"poolbench_base.json", "google_benchmark_plain.json"}) {
    const auto text = show(file, {});
    EXPECT_EQ(text.find("cost per request"), std::string::npos) << file << "\n" << text;
    EXPECT_EQ(text.find("Cost ("), std::string::npos) << file;
  }
}

TEST(CostTable, MarkdownCarriesTheCostTableAndTheMarks) {
  report::show_options options;
  options.format = report::output_format::md;
  const auto md = show("cost_base.json", options);
  EXPECT_NE(md.find("**cost per request: 3 tests**"), std::string::npos) << md;
  EXPECT_NE(md.find("| thread_pool/warm/batch:100/workers:16/delay_ms:1/keepalive:1 "
                    "[server-bound] | "),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| async_pool/warm/batch:100/workers:16/delay_ms:1/keepalive:1 "
                    "[client-bound] | "),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("| process_pool/warm/batch:100/workers:16/delay_ms:1/keepalive:1 ["),
            std::string::npos);
}

TEST(CostTable, MachineFormatsKeepTheNameAndAddABottleneckField) {
  report::show_options options;
  options.format = report::output_format::csv;
  const auto csv = show("cost_base.json", options);
  EXPECT_NE(csv.find(",thread_pool/warm/batch:100/workers:16/delay_ms:1/keepalive:1,"),
            std::string::npos);
  EXPECT_EQ(csv.find("[server-bound]"), std::string::npos) << csv;
  EXPECT_NE(line_with(csv, "thread_pool/").find(",server,"), std::string::npos) << csv;
  EXPECT_NE(line_with(csv, "async_pool/").find(",client,"), std::string::npos) << csv;
  EXPECT_NE(line_with(csv, "process_pool/").find(",,"), std::string::npos) << csv;
  options.format = report::output_format::json;
  const auto json = show("cost_base.json", options);
  EXPECT_NE(json.find("\"bottleneck\": \"server\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"bottleneck\": \"client\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"bottleneck\": null"), std::string::npos) << json;
}

TEST(CostTable, ThePageHasItUnderTheTimeTable) {
  report::page_options options;
  const auto page =
      report::build_results_page(report::load_result_files({fixture("cost_base.json")}), options)
          .front()
          .content;
  const auto time = page.find("| Name (time in ");
  const auto cost = page.find("| Name (cost) | CPU us/req |");
  ASSERT_NE(time, std::string::npos) << page;
  ASSERT_NE(cost, std::string::npos) << page;
  EXPECT_LT(time, cost);
  EXPECT_NE(page.find("keepalive:1 [server-bound] |"), std::string::npos) << page;
  EXPECT_NE(page.find("- Cost (means over the repetitions"), std::string::npos);
}

// compare --metric on the library: the verdict follows the chosen metric.
report::comparison_report compare_on(report::compare_metric metric, bool reversed = false) {
  const auto files =
      report::load_result_files({fixture("cost_base.json"), fixture("cost_new.json")});
  return reversed ? report::compare_results(files[1], files[0], {}, metric)
                  : report::compare_results(files[0], files[1], {}, metric);
}

report::verdict verdict_of(const report::comparison_report& r, const std::string& strategy) {
  for (const auto& c : r.common) {
    if (c.name.rfind(strategy + "/", 0) == 0)
      return c.result;
  }
  ADD_FAILURE() << strategy << " not compared";
  return report::verdict::failed;
}

TEST(CompareMetric, TimeTiesWhereCpuAndMemoryDiffer) {
  const auto time = compare_on(report::compare_metric::time);
  for (const char* s : {"thread_pool", "process_pool", "async_pool"})
    EXPECT_EQ(verdict_of(time, s), report::verdict::same) << s;
  EXPECT_FALSE(time.gate_fails());

  const auto cpu = compare_on(report::compare_metric::cpu);
  EXPECT_EQ(verdict_of(cpu, "async_pool"), report::verdict::slower);
  EXPECT_EQ(verdict_of(cpu, "process_pool"), report::verdict::same);
  EXPECT_EQ(verdict_of(cpu, "thread_pool"), report::verdict::same);
  EXPECT_TRUE(cpu.gate_fails());
  EXPECT_EQ(verdict_of(compare_on(report::compare_metric::cpu, true), "async_pool"),
            report::verdict::faster);

  const auto memory = compare_on(report::compare_metric::process_memory);
  EXPECT_EQ(verdict_of(memory, "process_pool"), report::verdict::slower);
  EXPECT_EQ(verdict_of(memory, "async_pool"), report::verdict::same);
  EXPECT_TRUE(memory.gate_fails());
  std::ostringstream text;
  report::write_comparison(text, memory);
  EXPECT_NE(text.str().find("116.99 MiB"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("higher"), std::string::npos) << text.str();
}

// --metric memory reads the pool's own memory, as the claims do, not the
// whole process's peak: here the two disagree on purpose.
TEST(CompareMetric, MemoryIsThePoolsOwnMemory) {
  auto files = report::load_result_files({fixture("cost_base.json"), fixture("cost_new.json")});
  for (auto& f : files) {
    const bool next = &f == &files[1];
    for (auto& b : f.benchmarks) {
      // The pool's own memory: 2 MiB, 3 MiB for async_pool's in the second file.
      const bool grows = next && b.name.rfind("async_pool/", 0) == 0;
      auto& pool = b.counter_repetitions["pool_pss_mib"];
      pool.clear();
      for (std::size_t i = 0; i < b.counter_repetitions.at("peak_pss_mib").size(); ++i)
        pool.push_back((grows ? 3.0 : 2.0) + 0.01 * static_cast<double>(i % 3));
    }
  }
  const auto memory =
      report::compare_results(files[0], files[1], {}, report::compare_metric::memory);
  EXPECT_EQ(verdict_of(memory, "async_pool"), report::verdict::slower);
  EXPECT_EQ(verdict_of(memory, "process_pool"), report::verdict::same);  // its peak grew
  std::ostringstream text;
  report::write_comparison(text, memory);
  EXPECT_NE(text.str().find("pool_pss_mib"), std::string::npos) << text.str();
}

TEST(CompareMetric, AMissingCounterIsAnInputError) {
  const auto files =
      report::load_result_files({fixture("cost_base.json"), fixture("poolbench_base.json")});
  EXPECT_THROW((void)report::compare_results(files[0], files[1], {}, report::compare_metric::cpu),
               report::input_error);
  EXPECT_NO_THROW(
      (void)report::compare_results(files[0], files[1], {}, report::compare_metric::time));
  // The counter in one file only for a benchmark both files have.
  auto without = files[0];
  without.path = "without.json";
  without.benchmarks[0].counter_repetitions.erase("peak_pss_mib");
  without.benchmarks[0].file = "without.json";
  try {
    (void)report::compare_results(files[0], without, {}, report::compare_metric::process_memory);
    ADD_FAILURE() << "no error";
  } catch (const report::input_error& e) {
    EXPECT_NE(std::string(e.what()).find("without.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("peak_pss_mib"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(": benchmark \"" + without.benchmarks[0].name + "\" has"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW((void)report::parse_compare_metric("latency"), report::usage_error);
}

#ifdef POOLBENCH_REPORT_BIN
TEST(CompareMetric, ExitCodesOfTheGate) {
  using report::testing::run_command;
  using report::testing::shell_quoted;
  const std::string compare = std::string(POOLBENCH_REPORT_BIN) + " compare ";
  const auto base = shell_quoted(fixture("cost_base.json"));
  const auto next = shell_quoted(fixture("cost_new.json"));
  EXPECT_EQ(run_command(compare + base + " " + next).exit_code, 0);
  EXPECT_EQ(run_command(compare + "--metric time " + base + " " + next).exit_code, 0);
  const auto cpu = run_command(compare + "--metric cpu " + base + " " + next);
  EXPECT_EQ(cpu.exit_code, 1) << cpu.out << cpu.err;
  EXPECT_NE(cpu.err.find("regression in cpu: async_pool/"), std::string::npos) << cpu.err;
  EXPECT_EQ(run_command(compare + "--metric cpu " + next + " " + base).exit_code, 0);
  const auto gate = run_command(compare + "--fail-above 5% --metric cpu " + base + " " + next);
  EXPECT_EQ(gate.exit_code, 1) << gate.out << gate.err;
  EXPECT_NE(gate.err.find("gate failed: 1 benchmark higher beyond +5%"), std::string::npos)
      << gate.err;
  const auto memory = run_command(compare + "--metric process-memory " + base + " " + next);
  EXPECT_EQ(memory.exit_code, 1) << memory.out << memory.err;
  EXPECT_NE(memory.err.find("regression in process-memory: process_pool/"), std::string::npos)
      << memory.err;
  const auto missing = run_command(compare + "--metric process-memory " + base + " " +
                                   shell_quoted(fixture("poolbench_base.json")));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no benchmark has peak_pss_mib"), std::string::npos) << missing.err;
  // These files predate pool_pss_mib: --metric memory cannot decide, and says what can.
  const auto old = run_command(compare + "--metric memory " + base + " " + next);
  EXPECT_EQ(old.exit_code, 2) << old.out << old.err;
  EXPECT_NE(old.err.find("no benchmark has pool_pss_mib"), std::string::npos) << old.err;
  EXPECT_NE(old.err.find("--metric process-memory"), std::string::npos) << old.err;
  EXPECT_EQ(run_command(compare + "--metric latency " + base + " " + next).exit_code, 2);
  const auto help = run_command(std::string(POOLBENCH_REPORT_BIN) + " compare --help");
  EXPECT_NE(help.out.find("--metric"), std::string::npos) << help.out;
}
#endif

}  // namespace
