// Memory claims, the cost table and the memory chart read the pool's own
// memory (`pool_pss_mib`), not the whole process's peak PSS, which grows
// over a run whatever ran in it; files from before `pool_pss_mib` still
// load, and then every memory claim says it read the whole process.

#include "test_support.hpp"

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/claims/cost_claims.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/page/summary.hpp>
#include <poolbench/report/tables/cost_table.hpp>
#include <poolbench/report/tables/table.hpp>
#include <poolbench/report/tables/table_format.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

namespace {

namespace report = poolbench::report;
using report::verdict;
using report::testing::around;

struct memory_bench {
  std::string name;
  double mean_s;
  double peak_mib;
  std::optional<double> pool_mib;  // absent: a file from before the counter
};

report::result_file memory_file(const std::vector<memory_bench>& benchmarks,
                                const std::string& path) {
  nlohmann::json doc;
  doc["context"] = {{"git_revision", "synthetic"}};
  doc["benchmarks"] = nlohmann::json::array();
  for (const auto& b : benchmarks) {
    const auto times = around(b.mean_s);
    const auto peaks = around(b.peak_mib, 0.001);
    for (std::size_t i = 0; i < times.size(); ++i) {
      nlohmann::json run = {
          {"name", b.name},   {"run_type", "iteration"},           {"real_time", times[i]},
          {"time_unit", "s"}, {"client_cpu_us_per_request", 30.0}, {"peak_pss_mib", peaks[i]}};
      if (b.pool_mib)
        run["pool_pss_mib"] = around(*b.pool_mib, 0.01)[i];
      doc["benchmarks"].push_back(run);
    }
  }
  return report::parse_result_text(doc.dump(), path);
}

// The whole process is the same 80 MiB for both (the runner's heap, grown
// over the run); the pools' own memory differs tenfold.
report::result_file pools_differ_in_own_memory(const std::string& path = "new.json") {
  const std::string w = "/warm/batch:100/workers:64/delay_ms:10/keepalive:1";
  return memory_file({{"thread_pool" + w, 0.02, 80, 20.0}, {"async_pool" + w, 0.02, 80, 2.0}},
                     path);
}

const report::workload_claim& memory_claim(const report::results_claims& claims) {
  for (const auto& c : claims.costs) {
    if (c.metric == report::cost_metric::memory)
      return c.claim;
  }
  throw std::runtime_error("no memory claim");
}

std::string sentence_with(const std::vector<std::string>& sentences, const std::string& what) {
  for (const auto& s : sentences) {
    if (s.find(what) != std::string::npos)
      return s;
  }
  return "";
}

TEST(PoolMemory, MemoryClaimsReadThePoolsOwnMemoryNotTheWholeProcess) {
  const auto claims = report::compute_claims({pools_differ_in_own_memory()});
  EXPECT_EQ(claims.memory_counter, "pool_pss_mib");
  const auto& c = memory_claim(claims);
  EXPECT_EQ(c.fastest, "async_pool");
  EXPECT_NEAR(c.estimate.ratio, 10.0, 0.5);  // 20 / 2 MiB; the peaks would tie
  EXPECT_EQ(c.result, verdict::slower);
  const auto s = sentence_with(report::answer_sentences(claims), "memory");
  EXPECT_NE(s.find("the pool's own memory (pool_pss_mib)"), std::string::npos) << s;
  std::ostringstream page;
  report::write_claims_markdown(page, claims);
  EXPECT_NE(page.str().find("From `pool_pss_mib`: the pool's own memory"), std::string::npos)
      << page.str();
}

TEST(PoolMemory, AFileWithoutItFallsBackToTheWholeProcessForEveryClaimAndSaysSo) {
  const std::string w = "/warm/batch:100/workers:64/delay_ms:10/keepalive:1";
  const auto old = memory_file(
      {{"thread_pool" + w, 0.02, 60, std::nullopt}, {"async_pool" + w, 0.02, 90, std::nullopt}},
      "old.json");
  const auto claims = report::compute_claims({old, pools_differ_in_own_memory()});
  // One counter for every memory claim: never the pool's in one row and the
  // whole process's in the next.
  EXPECT_EQ(claims.memory_counter, "peak_pss_mib");
  for (const auto& c : claims.costs) {
    if (c.metric != report::cost_metric::memory)
      continue;
    if (c.claim.source == "old.json") {
      EXPECT_EQ(c.claim.fastest, "thread_pool");  // 60 against 90 MiB
      EXPECT_EQ(c.claim.result, verdict::slower);
    } else {
      EXPECT_EQ(c.claim.result, verdict::same);  // both 80 MiB: the peaks tie
    }
  }
  const auto s = sentence_with(report::answer_sentences(claims), "memory");
  EXPECT_NE(s.find("peak_pss_mib, the whole process"), std::string::npos) << s;
  std::ostringstream page;
  report::write_claims_markdown(page, claims);
  EXPECT_NE(page.str().find("`peak_pss_mib` (these files have no `pool_pss_mib`)"),
            std::string::npos)
      << page.str();
}

TEST(PoolMemory, TheCostTableShowsThePoolsMemoryAndLabelsThePeakAsTheWholeProcess) {
  const auto file = pools_differ_in_own_memory();
  const auto tables = report::build_tables({file}, {});
  const auto fit = report::fit_cost_columns(tables, 0);
  std::ostringstream out;
  report::write_cost_markdown(out, tables.front(), fit.shown);
  EXPECT_NE(out.str().find("| pool MiB |"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("| proc MiB |"), std::string::npos) << out.str();
  const auto legend = report::cost_legend(fit, 0);
  EXPECT_NE(legend.find("proc MiB: peak PSS of the whole process"), std::string::npos) << legend;
  EXPECT_NE(legend.find("pool MiB: the pool's own memory"), std::string::npos) << legend;
  // Narrow: the whole process's figure goes before the pool's own.
  const auto narrow = report::fit_cost_columns(tables, 40);
  const auto shown = [&](const char* counter) {
    return std::any_of(narrow.shown.begin(), narrow.shown.end(), [&](const report::cost_column& c) {
      return c.counter == std::string(counter);
    });
  };
  EXPECT_TRUE(shown("pool_pss_mib") || !shown("peak_pss_mib"));
}

TEST(PoolMemory, TheMemoryChartDrawsThePoolsOwnMemoryElseNamesTheWholeProcess) {
  std::vector<report::benchmark_result> rows;
  for (const char* w : {"4", "64"}) {
    for (const char* s : {"thread_pool", "async_pool"}) {
      const auto f = memory_file(
          {{std::string(s) + "/warm/batch:100/workers:" + w + "/delay_ms:10", 0.02, 80, 5.0}},
          "m.json");
      rows.push_back(f.benchmarks.front());
    }
  }
  const auto own = report::workers_chart(rows, "m", {}, report::workers_metric::memory);
  EXPECT_NE(own.find("pool_pss_mib"), std::string::npos) << own;
  for (auto& r : rows)
    r.counters.erase("pool_pss_mib");
  const auto whole = report::workers_chart(rows, "m", {}, report::workers_metric::memory);
  EXPECT_EQ(whole.find("own memory"), std::string::npos) << whole;
  EXPECT_NE(whole.find("peak PSS of the whole process"), std::string::npos) << whole;
}

// The ideal round and the efficiency are columns where the file has them,
// and every table's legend says what its ratios are against.
TEST(RatioReference, TablesShowTheIdealRoundAndEfficiencyAndNameTheirReference) {
  auto file = pools_differ_in_own_memory();
  for (auto& b : file.benchmarks) {
    b.counters["ideal_round_s"] = 0.016;  // ceil(100 / 64) x 10 ms
    b.counters["efficiency"] = 0.8;
  }
  const auto tables = report::build_tables({file}, {});
  const auto fit = report::fit_cost_columns(tables, 0);
  std::ostringstream out;
  report::write_cost_markdown(out, tables.front(), fit.shown);
  EXPECT_NE(out.str().find("| efficiency |"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("| ideal ms |"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("| 0.80 |"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("| 16.000 |"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("ratios against the column's lowest"), std::string::npos);
  EXPECT_NE(report::ratio_legend("floor").find("the floor's at the same workers"),
            std::string::npos);
  EXPECT_NE(report::ratio_legend("").find("the best of its column"), std::string::npos);
  report::render_options options;
  options.format = report::output_format::md;
  options.baseline = "floor";
  std::ostringstream md;
  report::write_tables(md, tables, options);
  EXPECT_NE(md.str().find(report::ratio_legend("floor")), std::string::npos) << md.str();
}

}  // namespace
