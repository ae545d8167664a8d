// The answer at a glance: at most five computed sentences that aggregate the
// claims, the claim tables in reading order, the cost claims decided like
// the time claims, the bound marks, the README's generated block, and every
// line of `show` within the terminal's width on the committed results.

#include "test_support.hpp"

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/claims/cost_claims.hpp>
#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/page/results_page.hpp>
#include <poolbench/report/page/summary.hpp>
#include <poolbench/report/tables/aligned_text.hpp>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

namespace {

namespace report = poolbench::report;
namespace results = poolbench::results;
using report::verdict;
using report::testing::around;
using report::testing::fixture;
using report::testing::run_command;
using report::testing::shell_quoted;

// One benchmark of a synthetic file: repetition means (seconds) and, per
// repetition, its counters.
struct bench {
  std::string name;
  std::vector<double> means;
  std::map<std::string, std::vector<double>> counters;
};

std::vector<double> constant(double v) {
  return std::vector<double>(9, v);
}

std::string json_of(const std::vector<bench>& benchmarks) {
  nlohmann::json doc;
  doc["context"] = {{"git_revision", "synthetic"}};
  doc["benchmarks"] = nlohmann::json::array();
  for (const auto& b : benchmarks) {
    for (std::size_t i = 0; i < b.means.size(); ++i) {
      nlohmann::json run = {{"name", b.name},
                            {"run_type", "iteration"},
                            {"real_time", b.means[i]},
                            {"time_unit", "s"}};
      for (const auto& [key, values] : b.counters)
        run[key] = values.at(i);
      doc["benchmarks"].push_back(run);
    }
  }
  return doc.dump();
}

report::result_file synthetic(const std::vector<bench>& benchmarks) {
  return report::parse_result_text(json_of(benchmarks), "synthetic.json");
}

// Costs of one benchmark: CPU µs per request, peak PSS MiB, busy shares.
std::map<std::string, std::vector<double>> costs(double cpu_us, double pss_mib,
                                                 double client_busy = 0.3,
                                                 double server_busy = 0.3) {
  return {{"client_cpu_us_per_request", around(cpu_us)},
          {"peak_pss_mib", around(pss_mib, 0.001)},
          {"client_busy", constant(client_busy)},
          {"server_busy", constant(server_busy)}};
}

// async_pool wins at 64 and 256 workers (keep-alive, 10 ms), where it is
// also the cheapest in CPU; at 4 workers the two tie. At 256 workers
// async_pool was client-bound. Memory is the same everywhere.
report::result_file sweep() {
  const std::string ka = "/delay_ms:10/keepalive:1";
  return synthetic({
      {"thread_pool/warm/batch:256/workers:256" + ka, around(30e-3), costs(40, 80)},
      {"async_pool/warm/batch:256/workers:256" + ka, around(20e-3), costs(20, 80, 0.97)},
      {"thread_pool/warm/batch:100/workers:64" + ka, around(25e-3), costs(40, 80)},
      {"async_pool/warm/batch:100/workers:64" + ka, around(20e-3), costs(20, 80)},
      {"thread_pool/warm/batch:100/workers:4" + ka, around(250e-3), costs(40, 80)},
      {"async_pool/warm/batch:100/workers:4" + ka, around(251e-3), costs(20, 80)},
  });
}

TEST(Answer, AtMostFiveSentencesThatAggregateTheClaims) {
  const auto claims = report::compute_claims({sweep()});
  ASSERT_EQ(claims.workloads.size(), 3u);
  const auto s = report::answer_sentences(claims);
  ASSERT_EQ(s.size(), 5u);
  // The lead: the time verdict where the pools were measured; the bound
  // workload at 256 workers is not in it.
  // Where it won, then the lead said from the named runner-up's side, so
  // the ratio says what it is relative to.
  EXPECT_EQ(s[0].rfind("Time, where the pools were measured (not server-, client- or "
                       "wake-up-bound): async_pool is fastest in 1 of 2 workloads (at 64 "
                       "workers): the runner-up, thread_pool, takes 25% longer (98.3% interval ",
                       0),
            0u)
      << s[0];
  EXPECT_EQ(s[1].rfind("The fastest two tie within ±5% in 1 workload (at 4 workers; async_pool "
                       "and thread_pool).",
                       0),
            0u)
      << s[1];
  EXPECT_EQ(s[2].rfind("In client CPU per request (poolbench and its workers), async_pool is "
                       "cheapest in 3 of 3 workloads (1 of them bound): the runner-up, "
                       "thread_pool, uses 100% more (98.3% intervals ",
                       0),
            0u)
      << s[2];
  EXPECT_NE(s[3].find("no pool is cheapest beyond the margin in any of the 3 workloads: 3 tie "
                      "(within ±5% or ±1 MiB)."),
            std::string::npos)
      << s[3];
  EXPECT_NE(s[4].find("A bound hides the pools in 1 of 3 workloads"), std::string::npos) << s[4];
  EXPECT_NE(s[4].find("async_pool was client-bound in 1 (at 256 workers)"), std::string::npos)
      << s[4];
  // No counters (an older file): no cost and no bound sentence, never "none bound".
  const auto old = synthetic({{"thread_pool/warm/batch:3/workers:3/delay_ms:0", around(10e-3), {}},
                              {"async_pool/warm/batch:3/workers:3/delay_ms:0", around(8e-3), {}}});
  EXPECT_EQ(report::answer_sentences(report::compute_claims({old})).size(), 2u);
}

// The fastest case of all is bound (client-bound, or a chain of wake-ups):
// the first line's verdict is the measured workload's, never the bound one's.
TEST(Answer, ABoundCaseNeverLeadsTheAnswer) {
  const std::string ka = "/delay_ms:10/keepalive:1";
  auto wakeups = costs(20, 80);
  wakeups["round_trips_per_request"] = constant(3);
  auto overlapping = costs(40, 80);
  overlapping["round_trips_per_request"] = constant(400);
  const auto file = synthetic({
      {"thread_pool/warm/batch:256/workers:256" + ka, around(30e-3), costs(40, 80)},
      {"async_pool/warm/batch:256/workers:256" + ka, around(10e-3), costs(20, 80, 0.97)},
      {"thread_pool/warm/batch:100/workers:64" + ka, around(20e-3), costs(40, 80)},
      {"async_pool/warm/batch:100/workers:64" + ka, around(24e-3), costs(20, 80)},
      {"thread_pool/warm/batch:100/workers:1/delay_ms:0/keepalive:1", around(9e-3), overlapping},
      {"process_pool/warm/batch:100/workers:1/delay_ms:0/keepalive:1", around(3e-3), wakeups},
  });
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 3u);
  const auto s = report::answer_sentences(claims);
  ASSERT_FALSE(s.empty());
  ASSERT_LE(s.size(), 5u);
  EXPECT_NE(s[0].find("thread_pool is fastest in 1 of 1 workload: the runner-up, async_pool, "
                      "takes 20% longer"),
            std::string::npos)
      << s[0];
  EXPECT_EQ(s[0].find("async_pool is"), std::string::npos) << s[0];
  EXPECT_EQ(s[0].find("process_pool"), std::string::npos) << s[0];
  // The bound ones come last, as what they measured.
  EXPECT_NE(s.back().find("A bound hides the pools in 2 of 3 workloads"), std::string::npos)
      << s.back();
  EXPECT_NE(s.back().find("async_pool was client-bound in 1"), std::string::npos) << s.back();
  EXPECT_NE(s.back().find("the machine's wake-ups set the round in 1"), std::string::npos)
      << s.back();
  // Every workload bound: no verdict leads at all.
  const auto all_bound = synthetic({
      {"thread_pool/warm/batch:256/workers:256" + ka, around(30e-3), costs(40, 80)},
      {"async_pool/warm/batch:256/workers:256" + ka, around(10e-3), costs(20, 80, 0.97)},
  });
  const auto none = report::answer_sentences(report::compute_claims({all_bound}));
  ASSERT_FALSE(none.empty());
  EXPECT_EQ(none[0].find("async_pool"), std::string::npos) << none[0];
  EXPECT_NE(none[0].find("no workload; every one was bound"), std::string::npos) << none[0];
}

// A reader at 64 workers must tell a tie from an undecided claim: the tie
// sentence names the pair that tied and where the inconclusive ones are.
TEST(Answer, TheTieSentenceNamesThePairAndWhereTheUndecidedAre) {
  const std::string ka = "/delay_ms:10/keepalive:1";
  const auto file = synthetic({
      {"thread_pool/warm/batch:100/workers:4" + ka, around(250e-3), {}},
      {"async_pool/warm/batch:100/workers:4" + ka, around(251e-3), {}},
      {"thread_pool/warm/batch:100/workers:16" + ka, around(100e-3), {}},
      {"async_pool/warm/batch:100/workers:16" + ka, around(100.5e-3), {}},
      {"thread_pool/warm/batch:100/workers:64" + ka, around(40e-3, 0.3), {}},
      {"async_pool/warm/batch:100/workers:64" + ka, around(42e-3, 0.3), {}},
  });
  const auto s = report::answer_sentences(report::compute_claims({file}));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1],
            "The fastest two tie within ±5% in 2 workloads (at 4-16 workers; all async_pool and "
            "thread_pool), and 1 stays inconclusive (at 64 workers): its interval crosses the "
            "margin; at this spread deciding it (a win or a tie) would take more than 10,000 "
            "repetitions of each pool.")
      << s[1];
}

// Two undecided claims, one a few repetitions short and one far from it:
// the sentence gives the range their own projections span, so a reader can
// tell a budget that ran out from pools within noise of the margin.
TEST(Answer, TheUndecidedSayWhatDecidingThemWouldTake) {
  const std::string ka = "/delay_ms:10/keepalive:1";
  const auto file = synthetic({
      {"thread_pool/warm/batch:100/workers:16" + ka, around(40e-3, 0.3), {}},
      {"async_pool/warm/batch:100/workers:16" + ka, around(46e-3, 0.3), {}},
      {"thread_pool/warm/batch:100/workers:64" + ka, around(40e-3, 0.3), {}},
      {"async_pool/warm/batch:100/workers:64" + ka, around(43e-3, 0.3), {}},
  });
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 2u);
  const double few = claims.workloads[0].repetitions_to_decide;
  const double many = claims.workloads[1].repetitions_to_decide;
  ASSERT_EQ(claims.workloads[0].result, verdict::inconclusive);
  ASSERT_EQ(claims.workloads[1].result, verdict::inconclusive);
  ASSERT_LT(few, many);  // 15% apart needs fewer than 7.5% apart at one spread
  ASSERT_LT(many, 10000.0);
  const auto s = report::answer_sentences(claims);
  ASSERT_EQ(s.size(), 2u);
  const auto high = report::repetitions_words(many);
  EXPECT_NE(s[1].find("and 2 stay inconclusive: their intervals cross the "
                      "margin; at this spread deciding them (a win or a tie) would take " +
                      report::repetitions_words(few) + " to " + high.substr(6) +
                      " repetitions of each pool."),
            std::string::npos)
      << s[1];
}

TEST(Answer, ClaimTablesReadByBatchDelayKeepaliveWorkersModeNumerically) {
  // batch, delay_ms, keepalive, workers (a number before none), mode.
  const auto key = [](std::size_t batch, std::uint64_t delay_ms, bool keep_alive,
                      std::optional<std::size_t> workers, std::optional<results::pool_mode> mode) {
    report::workload_key k;
    k.batch = batch;
    k.delay_ms = delay_ms;
    k.keep_alive = keep_alive;
    k.workers = workers;
    k.mode = mode;
    return k;
  };
  const auto warm = results::pool_mode::warm, cold = results::pool_mode::cold;
  EXPECT_TRUE(report::reads_before(key(3, 0, false, 3, warm), key(100, 0, false, 1, warm)));
  EXPECT_TRUE(report::reads_before(key(100, 1, true, 4, warm), key(100, 10, false, 4, warm)));
  EXPECT_TRUE(report::reads_before(key(100, 10, false, 64, warm), key(100, 10, true, 4, warm)));
  EXPECT_TRUE(report::reads_before(key(100, 10, true, 4, warm), key(100, 10, true, 16, cold)));
  EXPECT_TRUE(report::reads_before(key(3, 0, false, 3, cold), key(3, 0, false, 3, warm)));
  EXPECT_TRUE(report::reads_before(key(3, 0, false, 3, warm), key(3, 0, false, {}, {})));
  EXPECT_TRUE(report::reads_before(key(3, 0, false, {}, {}), key(3, 0, false, {}, warm)));
  EXPECT_FALSE(report::reads_before(key(3, 0, false, 3, warm), key(3, 0, false, 3, warm)));
  auto drawn = key(3, 0, false, 3, warm);
  drawn.delay_ms.reset();
  drawn.delay = "lognormal_5ms_100ms";
  EXPECT_TRUE(report::reads_before(key(3, 10, false, 3, warm), drawn));
  EXPECT_EQ(report::workload_text(drawn),
            "batch=3 delay=lognormal_5ms_100ms keepalive=0 mode=warm workers=3");
  // The file lists 256, 64, 4 workers; every table reads 4, 64, 256.
  const auto claims = report::compute_claims({sweep()});
  std::ostringstream page, terminal;
  report::write_claims_markdown(page, claims);
  report::print_summary(terminal, claims);
  for (const auto& text : {page.str(), terminal.str()}) {
    std::vector<std::size_t> at;
    const std::string row = text == page.str() ? "keepalive=1 mode=warm workers=" : "warm  ";
    for (auto p = text.find(row); p != std::string::npos; p = text.find(row, p + 1))
      at.push_back(p);
    ASSERT_GE(at.size(), 9u) << text;  // time, CPU and memory: 3 rows each
    for (std::size_t i = 0; i < at.size(); i += 3) {
      const auto workers = [&](std::size_t k) { return text.substr(at[k] + row.size(), 4); };
      if (text == page.str()) {
        EXPECT_EQ(workers(i).substr(0, 2), "4 ") << text;
        EXPECT_EQ(workers(i + 1).substr(0, 3), "64 ") << text;
        EXPECT_EQ(workers(i + 2).substr(0, 4), "256 ") << text;
      }
    }
  }
  const auto t = terminal.str();
  EXPECT_LT(t.find("       4  warm"), t.find("      64  warm")) << t;
  EXPECT_LT(t.find("      64  warm"), t.find("     256  warm")) << t;
}

TEST(CostClaims, DecidedWithTheIntervalAndVerdictOfTheTimeClaims) {
  const auto claims = report::compute_claims({sweep()});
  ASSERT_EQ(claims.costs.size(), 6u);  // 3 workloads x (cpu, memory)
  for (const auto& c : claims.costs) {
    if (c.metric == report::cost_metric::cpu) {
      EXPECT_EQ(c.claim.fastest, "async_pool");
      EXPECT_NEAR(c.claim.estimate.ratio, 2.0, 1e-9);  // 40 / 20 µs
      ASSERT_TRUE(c.claim.estimate.ratio_interval);
      EXPECT_GT(c.claim.estimate.ratio_interval->low, 1.05);
      EXPECT_EQ(c.claim.result, verdict::slower) << report::workload_text(c.claim.key);
      EXPECT_EQ(c.claim.estimate.base_values, 9u);  // one value per repetition
    } else {
      EXPECT_EQ(c.claim.result, verdict::same) << report::workload_text(c.claim.key);
    }
  }
  // Two repetitions a side decide nothing: no U test can reject.
  auto two = costs(20, 80);
  for (auto& [key, values] : two)
    values.resize(2);
  auto two_thread = costs(40, 80);
  for (auto& [key, values] : two_thread)
    values.resize(2);
  const auto few = report::compute_claims(
      {synthetic({{"thread_pool/warm/batch:3/workers:3/delay_ms:0", {10e-3, 10.1e-3}, two_thread},
                  {"async_pool/warm/batch:3/workers:3/delay_ms:0", {8e-3, 8.1e-3}, two}})});
  ASSERT_FALSE(few.costs.empty());
  EXPECT_EQ(few.costs[0].claim.result, verdict::inconclusive);
}

TEST(BoundClaims, TheRowAndTheSentenceSayTheBoundSideWasMeasured) {
  const std::string w = "/warm/batch:100/workers:16/delay_ms:0";
  const auto file = synthetic({{"thread_pool" + w, around(30e-3), costs(40, 80, 0.3, 0.95)},
                               {"async_pool" + w, around(20e-3), costs(20, 80, 0.3, 0.5)}});
  const auto claims = report::compute_claims({file});
  ASSERT_EQ(claims.workloads.size(), 1u);
  EXPECT_EQ(claims.workloads[0].runner_up_bound, report::bottleneck::server);
  EXPECT_EQ(claims.workloads[0].fastest_bound, report::bottleneck::none);
  std::ostringstream page, terminal;
  report::write_claims_markdown(page, claims);
  report::print_summary(terminal, claims);
  EXPECT_NE(page.str().find("async_pool wins by 50.0% ["), std::string::npos) << page.str();
  EXPECT_NE(page.str().find("]; server-bound: the server, not the pools, was measured |"),
            std::string::npos)
      << page.str();
  EXPECT_NE(terminal.str().find("wins; server-bound"), std::string::npos) << terminal.str();
  const auto s = report::answer_sentences(claims);
  EXPECT_NE(s.back().find("the server was saturated in 1"), std::string::npos) << s.back();
  // Neither side bound: the sentence says every claim compares the pools.
  const auto free =
      report::compute_claims({synthetic({{"thread_pool" + w, around(30e-3), costs(40, 80)},
                                         {"async_pool" + w, around(20e-3), costs(20, 80)}})});
  EXPECT_NE(report::answer_sentences(free).back().find("No workload was server- or client-bound"),
            std::string::npos);
}

TEST(ReadmeBlock, ReplacesOnlyWhatIsBetweenTheMarkers) {
  const std::string readme =
      "# title\n\nbefore\n<!-- poolbench:results-summary:begin -->\nold\n"
      "<!-- poolbench:results-summary:end -->\nafter\n";
  const auto block = report::results_block({"One.", "Two."}, {"An experiment: three."},
                                           {"results/latest.json"}, "results/README.md");
  const auto out = report::with_results_block(readme, block, "README.md");
  EXPECT_EQ(out.find("old"), std::string::npos);
  EXPECT_EQ(out.rfind("# title\n\nbefore\n<!-- poolbench:results-summary:begin -->\n", 0), 0u);
  // The answer, then the other experiments under a line of their own.
  EXPECT_NE(out.find("- One.\n- Two.\n\nThe other experiments, a headline each (their sections "
                     "of the page say more):\n\n- An experiment: three.\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(report::results_block({"One."}, {}, {"results/latest.json"}, "results/README.md")
                .find("The other experiments"),
            std::string::npos);  // no line for a list that is not there
  EXPECT_NE(out.find("[results/README.md](results/README.md#what-the-results-say)"),
            std::string::npos);
  EXPECT_NE(out.find("\n<!-- poolbench:results-summary:end -->\nafter\n"), std::string::npos);
  EXPECT_EQ(report::with_results_block(out, block, "README.md"), out);  // stable
  EXPECT_THROW((void)report::with_results_block("# no block\n", block, "README.md"),
               report::input_error);
  EXPECT_THROW((void)report::with_results_block(readme + readme, block, "README.md"),
               report::input_error);
}

#ifdef POOLBENCH_REPORT_BIN
const std::string program = POOLBENCH_REPORT_BIN;

TEST(ReadmeBlock, RenderFillsItAndCheckFailsWhenItDoesNotMatchTheData) {
  report::testing::temp_dir dir;
  const auto readme = (dir.path() / "README.md").string();
  report::testing::write_text(readme,
                              "# project\n\n<!-- poolbench:results-summary:begin -->\nplaceholder\n"
                              "<!-- poolbench:results-summary:end -->\n\nthe rest\n");
  const auto page = (dir.path() / "results" / "README.md").string();
  const auto args = " --readme " + shell_quoted(readme) + " --out " + shell_quoted(page) + " " +
                    shell_quoted(fixture("gate_a1.json"));
  const auto render = run_command(program + " render" + args);
  ASSERT_EQ(render.exit_code, 0) << render.err;
  const auto text = report::testing::read_text(readme);
  EXPECT_EQ(text.find("placeholder"), std::string::npos) << text;
  EXPECT_NE(text.find("\n\nthe rest\n"), std::string::npos);
  const auto claims = report::compute_claims({report::load_result_file(fixture("gate_a1.json"))});
  for (const auto& sentence : report::answer_sentences(claims))
    EXPECT_NE(text.find("- " + sentence + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("](results/README.md#what-the-results-say)"), std::string::npos) << text;
  EXPECT_EQ(run_command(program + " render --check" + args).exit_code, 0);
  // A sentence typed over: stale, and the README is named.
  auto edited = text;
  edited.replace(edited.find("\n- ") + 3, 3, "XYZ");
  report::testing::write_text(readme, edited);
  const auto stale = run_command(program + " render --check" + args);
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.err.find(readme), std::string::npos) << stale.err;
  // Other data, the old block: stale too.
  ASSERT_EQ(run_command(program + " render" + args).exit_code, 0);
  const auto other = " --readme " + shell_quoted(readme) + " --out " + shell_quoted(page) + " " +
                     shell_quoted(fixture("gate_a2.json"));
  EXPECT_EQ(run_command(program + " render --check --force" + other).exit_code, 1);
  // A README without the markers is bad input, and nothing is written.
  report::testing::write_text(readme, "# no block here\n");
  const auto missing = run_command(program + " render" + args);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("poolbench:results-summary:begin"), std::string::npos) << missing.err;
  EXPECT_EQ(report::testing::read_text(readme), "# no block here\n");
}

std::size_t widest(const std::string& text, std::string& line_out) {
  std::size_t most = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (report::columns_of(line) > most) {
      most = report::columns_of(line);
      line_out = line;
    }
  }
  return most;
}

// Piped (not a terminal) with COLUMNS unset: 120 columns, claims, the
// busy line and saturation lines included.
TEST(ShowWidth, EveryLineOfTheCommittedResultsFits120Columns) {
  const std::string results = std::string(POOLBENCH_SOURCE_DIR) + "/results/";
  for (const auto& files :
       {shell_quoted(results + "latest.json") + " " + shell_quoted(results + "open-loop.json") +
            " " + shell_quoted(results + "python-reference.json"),
        shell_quoted(fixture("poolbench_base.json")), shell_quoted(fixture("open_loop.json")),
        shell_quoted(fixture("gate_a1.json")) + " " +
            shell_quoted(fixture("pytest_benchmark.json"))}) {
    const auto show = run_command("env -u COLUMNS " + program + " show " + files + " | cat");
    ASSERT_EQ(show.exit_code, 0) << show.err;
    std::string line;
    EXPECT_LE(widest(show.out, line), 120u) << files << "\n" << line;
  }
  const auto latest =
      run_command("env -u COLUMNS " + program + " show " + shell_quoted(results + "latest.json"));
  EXPECT_NE(latest.out.find("What the results say"), std::string::npos);
  EXPECT_NE(latest.out.find("Cheapest client CPU per request"), std::string::npos);
  EXPECT_NE(latest.out.find("Least memory"), std::string::npos);
  // A narrow terminal gets narrow lines too.
  const auto narrow =
      run_command("env COLUMNS=72 " + program + " show " + shell_quoted(results + "latest.json"));
  std::string line;
  EXPECT_LE(widest(narrow.out, line), 72u) << line;
  // Its one-worker cases at delay 0 were chains of wake-ups, marked as such.
  EXPECT_NE(narrow.out.find("[wake-up-bound]"), std::string::npos) << narrow.out;
}
#endif

}  // namespace
