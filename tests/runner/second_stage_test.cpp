// Repetitions sized to decide, in the runner: the planning step from a first
// stage's document to the extra repetitions it registers; the merge of the
// two stages, checked against Google Benchmark's own output for one run of
// all the repetitions; and measure() end to end against a local server,
// where a rule made strict enough that no workload can be decided at the
// first look (alpha 1e-6: the smallest exact U p-value of 9 against 9 is
// 4e-5; margin 0: no interval fits within [1, 1]) makes the extensions
// certain whatever the timings, so nothing here depends on the machine's
// speed.

#include "fake_server.hpp"
#include "strict_plan.hpp"

#include <poolbench/runner/measurement.hpp>
#include <poolbench/runner/second_stage.hpp>

#include <poolbench/report/claims/sequential_plan.hpp>
#include <poolbench/report/input/load.hpp>

#include <benchmark/benchmark.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

namespace poolbench::runner {
namespace {

using nlohmann::ordered_json;

struct first_stage {
  std::vector<collected_run> runs;
  result_additions additions;
  std::vector<std::string> names;
};

// Nine repetitions of each case of `g`, the k-th case's times base x
// factor(k) ms.
first_stage synthetic_stage(const grid& g, const std::function<double(std::size_t)>& factor) {
  const double base[] = {1.0, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97, 1.0, 1.0};
  first_stage out;
  const auto cases = expand(g);
  for (std::size_t k = 0; k < cases.size(); ++k) {
    out.names.push_back(cases[k].name());
    out.additions.workloads.emplace(cases[k].name(), cases[k].workload());
    for (int r = 0; r < 9; ++r) {
      collected_run run;
      run.name = cases[k].name();
      run.repetitions = 9;
      run.repetition_index = r;
      run.iterations = 1;
      run.real_s = base[r] * factor(k) * 1e-3;
      run.cpu_s = run.real_s / 10;
      out.runs.push_back(run);
    }
  }
  return out;
}

// Two strategies on one workload, 9 repetitions each: candidate = 1.05 x
// base exactly, so the ratio sits on the 5% margin and its interval
// straddles it: inconclusive at the first look, whatever the level.
first_stage first_stage_runs() {
  grid g;
  g.names = {"a"};
  g.workers = {1};
  g.delays_ms = {0};
  g.connections = {connection::fresh};
  g.strategies = {strategy::serial, strategy::thread_pool};
  g.modes = {pool_mode::warm};
  return synthetic_stage(g, [](std::size_t k) { return k == 0 ? 1.0 : 1.05; });
}

TEST(second_stage_plan,
     an_inconclusive_workload_gets_both_benchmarks_extended_to_an_allowed_total) {
  const auto first = first_stage_runs();
  const auto& names = first.names;
  const std::map<std::string, double> seconds{{names[0], 0.5}, {names[1], 0.5}};
  const auto plan = plan_extensions(first.runs, first.additions, {}, 1000, seconds);
  ASSERT_EQ(plan.plan.extensions.size(), 1u);
  EXPECT_EQ(plan.plan.extensions[0].total, 27u);  // on the margin: the cap is the best chance
  const auto extra = extra_repetitions(plan);
  ASSERT_EQ(extra.size(), 2u);
  EXPECT_EQ(extra.at(names[0]), 18u);
  EXPECT_EQ(extra.at(names[1]), 18u);
  EXPECT_DOUBLE_EQ(plan.plan.seconds, 18.0);

  const auto record = sequential_record({}, 1000, plan, 17.5);
  EXPECT_EQ(record["settings"]["first_look"], 9);
  EXPECT_EQ(record["settings"]["allowed_totals"], ordered_json({18, 27}));
  EXPECT_EQ(record["extensions"][0]["extra_repetitions"], 18);
  EXPECT_EQ(record["seconds"], 17.5);
  EXPECT_LE(second_stage_line(record).size(), 120u);
}

// With nothing inconclusive at the first look the line never claims that no
// workload is left inconclusive: a run of fewer repetitions than the first
// look (--quick: 2) never looked, and its claims may well stay inconclusive.
TEST(second_stage_plan, the_line_says_what_the_stage_did_about_inconclusive_workloads) {
  const auto record = sequential_record({}, 60, second_stage_plan{}, 0);
  const auto quick = second_stage_line(record, 2);
  EXPECT_EQ(quick,
            "second stage: none: 2 repetitions a side are fewer than its first look (9), so it "
            "extended nothing");
  EXPECT_EQ(quick.find("no workload"), std::string::npos);
  EXPECT_EQ(second_stage_line(record, 9),
            "second stage: no workload was inconclusive at its first look (9 repetitions a "
            "side); none extended");
}

TEST(second_stage_plan, the_budget_takes_the_largest_total_that_fits_or_nothing) {
  const auto first = first_stage_runs();
  const auto& names = first.names;
  const std::map<std::string, double> seconds{{names[0], 0.5}, {names[1], 0.5}};
  // 9 more a side (1 s a pair) fit in 10 s, 18 do not.
  const auto smaller = plan_extensions(first.runs, first.additions, {}, 10, seconds);
  ASSERT_EQ(smaller.plan.extensions.size(), 1u);
  EXPECT_EQ(extra_repetitions(smaller).at(names[0]), 9u);
  const auto none = plan_extensions(first.runs, first.additions, {}, 5, seconds);
  EXPECT_TRUE(extra_repetitions(none).empty());
  EXPECT_EQ(none.plan.over_budget.size(), 1u);
  // A benchmark whose repetition time was not measured is never extended.
  const auto unknown = plan_extensions(first.runs, first.additions, {}, 1000, {{names[0], 0.5}});
  EXPECT_TRUE(extra_repetitions(unknown).empty());
}

// The runner plans in memory; the report, reading the file, decides the
// claims. Both must find the same workloads inconclusive at the first look
// and extend the same pairs: the plan from the runs equals the report's plan
// from the document built of them, budget, order and seconds included.
TEST(second_stage_plan, the_runners_plan_is_the_reports_plan_on_the_written_file) {
  grid g;
  g.names = {"a", "b"};
  g.workers = {1, 2};
  g.delays_ms = {0};
  g.connections = {connection::fresh};
  g.strategies = {strategy::serial, strategy::thread_pool, strategy::process_pool};
  g.modes = {pool_mode::warm};
  // Some workloads on the margin (inconclusive), some decided; a fastest
  // that is not the first case of its workload; times in thirds of a
  // millisecond, which no time unit holds exactly.
  const double factors[] = {1.05 / 3, 1.0 / 3, 1.3 / 3, 1.0, 3.0, 1.02, 1.04};
  const auto first = synthetic_stage(g, [&](std::size_t k) { return factors[k % 7]; });
  std::map<std::string, double> seconds;
  for (std::size_t k = 0; k < first.names.size(); ++k)
    seconds[first.names[k]] = 0.25 + 0.125 * static_cast<double>(k % 3);
  const auto doc = build_result_document(first.runs, ordered_json::object(), first.additions);
  const std::vector<report::result_file> files{report::result_from_document(doc, "first stage")};
  const auto seconds_of = [&](const report::benchmark_result& b) { return seconds.at(b.name); };
  for (const double budget : {1e9, 12.0, 4.0}) {
    SCOPED_TRACE(budget);
    const auto ours = plan_extensions(first.runs, first.additions, {}, budget, seconds);
    const auto theirs = report::plan_second_stage(files, {}, budget, seconds_of);
    const auto record = sequential_record({}, budget, ours, 0);
    EXPECT_EQ(record["workloads_needing_more"], ordered_json(theirs.workloads_needing_more));
    EXPECT_EQ(record["over_budget"], ordered_json(theirs.over_budget));
    ASSERT_EQ(record["extensions"].size(), theirs.extensions.size());
    for (std::size_t i = 0; i < theirs.extensions.size(); ++i) {
      const auto& x = record["extensions"][i];
      EXPECT_EQ(x["workload"], theirs.extensions[i].workload);
      EXPECT_EQ(x["benchmarks"], ordered_json(theirs.extensions[i].benchmarks));
      EXPECT_EQ(x["total"], theirs.extensions[i].total);
      EXPECT_EQ(x["extra_repetitions"], theirs.extensions[i].extra_repetitions);
      EXPECT_EQ(x["estimated_seconds"], theirs.extensions[i].seconds);
    }
    EXPECT_EQ(ours.plan.extra_repetitions, theirs.extra_repetitions);
    EXPECT_EQ(ours.plan.seconds, theirs.seconds);
  }
  // Not vacuous: some workloads were decided, some extended.
  const auto all = plan_extensions(first.runs, first.additions, {}, 1e9, seconds);
  EXPECT_GT(all.plan.extensions.size(), 0u);
  EXPECT_LT(all.plan.needing_more.size(), all.comparisons.size());
}

// A benchmark whose every repetition is known: its times and a counter come
// from a table, one row per call, so every run gives the same numbers.
struct table_benchmark {
  std::vector<double> seconds;
  std::size_t next = 0;
  void operator()(benchmark::State& state) {
    const double s = seconds.at(next++);
    for (auto _ : state)
      state.SetIterationTime(s);
    state.counters["rate"] = 1 / s;
  }
};

std::vector<collected_run> run_table(table_benchmark& t, int repetitions) {
  benchmark::ClearRegisteredBenchmarks();
  benchmark::RegisterBenchmark("table/case", [&t](benchmark::State& s) { t(s); })
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond)
      ->Iterations(3)
      ->Repetitions(repetitions);
  run_collector collector;
  benchmark::RunSpecifiedBenchmarks(&collector);
  benchmark::ClearRegisteredBenchmarks();
  return collector.take_runs();
}

TEST(second_stage_merge, two_stages_read_as_google_benchmarks_one_run_of_all_repetitions) {
  const std::vector<double> seconds{0.011, 0.013, 0.0125, 0.017, 0.010,
                                    0.012, 0.031, 0.0111, 0.014};
  table_benchmark whole{seconds}, head{{seconds.begin(), seconds.begin() + 5}},
      tail{{seconds.begin() + 5, seconds.end()}};
  const auto one_run = run_table(whole, 9);
  const auto first = run_table(head, 5);
  const auto second = run_table(tail, 4);
  const auto merged = merge_stages(first, second);
  ASSERT_EQ(merged.size(), one_run.size());  // 9 repetitions and 4 aggregates
  for (std::size_t i = 0; i < merged.size(); ++i) {
    const auto &a = merged[i], &b = one_run[i];
    SCOPED_TRACE(b.name + " " + b.aggregate_name + " #" + std::to_string(i));
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.aggregate, b.aggregate);
    EXPECT_EQ(a.aggregate_name, b.aggregate_name);
    EXPECT_EQ(a.percentage, b.percentage);
    EXPECT_EQ(a.repetitions, b.repetitions);
    EXPECT_EQ(a.repetition_index, b.repetition_index);
    EXPECT_EQ(a.iterations, b.iterations);
    // To the bit: Google Benchmark's arithmetic, not an approximation of it.
    EXPECT_EQ(a.real_s, b.real_s);  // cpu time is measured, not set: not compared
    ASSERT_EQ(a.counters.size(), b.counters.size());
    for (std::size_t k = 0; k < a.counters.size(); ++k) {
      EXPECT_EQ(a.counters[k].first, b.counters[k].first);
      EXPECT_EQ(a.counters[k].second, b.counters[k].second);
    }
  }
}

TEST(second_stage_merge, benchmarks_not_extended_are_kept_as_they_were) {
  table_benchmark t{{0.01, 0.02, 0.03}};
  const auto first = run_table(t, 3);
  const auto merged = merge_stages(first, {});
  ASSERT_EQ(merged.size(), first.size());
  for (std::size_t i = 0; i < merged.size(); ++i)
    EXPECT_DOUBLE_EQ(merged[i].real_s, first[i].real_s);
}

using testing::strict_plan;

measurement measure_against(const std::string& url, const run_plan& p) {
  server_session server(url, 1, {});
  return measure(p, cases_of(p), server, ordered_json::object());
}

double one_ns_in(const std::string& unit) {
  return unit == "s" ? 1e-9 : unit == "ms" ? 1e-6 : unit == "us" ? 1e-3 : 1.0;
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double stddev(const std::vector<double>& v) {
  const double m = mean(v);
  double ss = 0;
  for (double x : v)
    ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

// Every run of `name` in `doc`: its repetitions in order 0..total-1, then
// aggregates equal to what the repetitions give.
void expect_one_run_of(const ordered_json& doc, const std::string& name, std::size_t total) {
  SCOPED_TRACE(name);
  std::vector<double> times, means;
  std::map<std::string, double> aggregates, mean_counter;
  std::string unit;
  for (const auto& r : doc["benchmarks"]) {
    if (r["run_name"] != name)
      continue;
    EXPECT_EQ(r["repetitions"], total) << r.dump();
    EXPECT_FALSE(r.contains("error_occurred")) << r.dump();
    unit = r["time_unit"];
    if (r["run_type"] == "iteration") {
      EXPECT_EQ(r["repetition_index"], times.size());
      EXPECT_TRUE(aggregates.empty()) << "a repetition after the aggregates";
      times.push_back(r["real_time"]);
      means.push_back(r["mean"]);
    } else {
      aggregates[r["aggregate_name"]] = r["real_time"];
      mean_counter[r["aggregate_name"]] = r["mean"];
    }
  }
  ASSERT_EQ(times.size(), total);
  ASSERT_EQ(aggregates.size(), 4u);
  const double ns = one_ns_in(unit);  // the file rounds times to a nanosecond
  EXPECT_NEAR(aggregates["mean"], mean(times), 2 * ns);
  EXPECT_NEAR(aggregates["median"], median(times), 2 * ns);
  EXPECT_NEAR(aggregates["stddev"], stddev(times), 2 * ns);
  EXPECT_NEAR(aggregates["cv"], stddev(times) / mean(times), 1e-6);
  // A counter's aggregates too (per repetition: its rounds' mean, seconds).
  EXPECT_NEAR(mean_counter["mean"], mean(means), 1e-12);
  EXPECT_NEAR(mean_counter["median"], median(means), 1e-12);
  EXPECT_NEAR(mean_counter["stddev"], stddev(means), 1e-12);
}

TEST(second_stage_measure, inconclusive_workloads_get_their_extra_repetitions_appended) {
  testing::fake_server fake([](std::string_view target) { return testing::hello_reply(target); });
  const auto m = measure_against(fake.url(), strict_plan({0}, 1e6));
  ASSERT_EQ(m.failed_cases, 0u);
  const auto& s = m.document["context"]["sequential"];
  ASSERT_EQ(s["extensions"].size(), 1u) << s.dump(1);
  const auto& x = s["extensions"][0];
  const std::size_t total = x["total"];
  EXPECT_GT(total, 9u);
  EXPECT_EQ(x["extra_repetitions"], total - 9);
  EXPECT_EQ(s["over_budget"].size(), 0u);
  EXPECT_GT(s["seconds"].get<double>(), 0.0);
  EXPECT_EQ(s["settings"]["alpha"], 1e-6);
  ASSERT_EQ(x["benchmarks"].size(), 2u);
  for (const auto& name : x["benchmarks"])
    expect_one_run_of(m.document, name, total);
  // The realized order goes on past the planned repetitions.
  const auto& order = m.document["run_order"];
  EXPECT_EQ(order.size(), 2 * total);
  EXPECT_NE(std::find(order.begin(), order.end(),
                      x["benchmarks"][0].get<std::string>() + "#" + std::to_string(total)),
            order.end());
}

TEST(second_stage_measure, a_budget_of_zero_adds_no_repetition) {
  testing::fake_server fake([](std::string_view target) { return testing::hello_reply(target); });
  const auto m = measure_against(fake.url(), strict_plan({0}, 0));
  ASSERT_EQ(m.failed_cases, 0u);
  const auto& s = m.document["context"]["sequential"];
  EXPECT_EQ(s["extensions"].size(), 0u);
  EXPECT_EQ(s["over_budget"].size(), 1u);  // inconclusive, and said so
  EXPECT_EQ(s["seconds"], 0.0);
  std::size_t iterations = 0;
  for (const auto& r : m.document["benchmarks"]) {
    EXPECT_EQ(r["repetitions"], 9) << r.dump();
    iterations += r["run_type"] == "iteration" ? 1 : 0;
  }
  EXPECT_EQ(iterations, 18u);
  EXPECT_NE(second_stage_line(s).find("off"), std::string::npos);
}

TEST(second_stage_measure, a_case_failing_in_the_second_stage_is_a_failed_case) {
  // Requests of the first stage: 4 verification rounds and 4 cases x 9
  // repetitions, one request each. From then on the delay 0 cases (the only
  // targets without delay_ms) are answered wrongly.
  constexpr int first_stage_requests = 4 + 4 * 9;
  std::atomic<int> requests{0};
  testing::fake_server fake([&](std::string_view target) {
    if (++requests > first_stage_requests && target.find("delay_ms") == std::string_view::npos)
      return testing::fake_reply{testing::fake_reply::action::answer,
                                 testing::raw_http_response(200, "Hello, tybalt")};
    return testing::hello_reply(target);
  });
  const auto m = measure_against(fake.url(), strict_plan({0, 1}, 1e6));
  EXPECT_EQ(m.failed_cases, 2u);
  EXPECT_FALSE(m.server_lost);
  const auto& s = m.document["context"]["sequential"];
  ASSERT_EQ(s["extensions"].size(), 2u) << s.dump(1);
  std::map<std::string, std::size_t> failed_runs, good_iterations;
  for (const auto& r : m.document["benchmarks"]) {
    const std::string name = r["run_name"];
    if (name.find("delay_ms:0") != std::string::npos) {
      EXPECT_TRUE(r.value("error_occurred", false)) << r.dump();
      EXPECT_EQ(r["run_type"], "iteration") << "no aggregates of a failed case";
      ++failed_runs[name];
    } else {
      EXPECT_FALSE(r.contains("error_occurred")) << r.dump();
      good_iterations[name] += r["run_type"] == "iteration" ? 1 : 0;
    }
  }
  EXPECT_EQ(failed_runs.size(), 2u);
  for (const auto& [name, n] : failed_runs)
    EXPECT_GT(n, 9u) << name << ": its second-stage repetitions are in the file, failed";
  ASSERT_EQ(good_iterations.size(), 2u);
  for (const auto& [name, n] : good_iterations)
    EXPECT_GT(n, 9u) << name;
}

}  // namespace
}  // namespace poolbench::runner
