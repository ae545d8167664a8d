#include <poolbench/runner/second_stage.hpp>

#include <poolbench/results/strategy.hpp>
#include <poolbench/results/workload.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

// Google Benchmark 1.7.1 exports these from libbenchmark (src/statistics.h)
// without declaring them in benchmark.h. Calling them, rather than copies,
// is what makes the recomputed aggregates the ones Google Benchmark would
// have written for one run of N repetitions.
namespace benchmark {
double StatisticsMean(const std::vector<double>& v);
double StatisticsMedian(const std::vector<double>& v);
double StatisticsStdDev(const std::vector<double>& v);
double StatisticsCV(const std::vector<double>& v);
}  // namespace benchmark

namespace poolbench::runner {
namespace {

using nlohmann::ordered_json;

// Every benchmark's statistics as Google Benchmark's Benchmark constructor
// sets them (no poolbench benchmark adds any).
struct statistic {
  const char* name;
  double (*compute)(const std::vector<double>&);
  bool percentage;  // of the mean (cv), not a time
};
constexpr statistic default_statistics[] = {{"mean", benchmark::StatisticsMean, false},
                                            {"median", benchmark::StatisticsMedian, false},
                                            {"stddev", benchmark::StatisticsStdDev, false},
                                            {"cv", benchmark::StatisticsCV, true}};

// Google Benchmark's ComputeStats (1.7.1, src/statistics.cc) on the runs as
// poolbench keeps them: the statistics of the accumulated times of the
// repetitions that did not fail, rescaled from iterations to repetitions,
// and of each counter; nothing for fewer than two such repetitions.
std::vector<collected_run> aggregates_of(const std::vector<collected_run>& reports) {
  std::vector<collected_run> out;
  const auto errors = static_cast<std::size_t>(std::count_if(
      reports.begin(), reports.end(), [](const collected_run& r) { return r.error_occurred; }));
  if (reports.size() - errors < 2)
    return out;
  std::vector<double> real, cpu;
  std::map<std::string, std::vector<double>> counters;  // every run's keys, as Google Benchmark
  for (const auto& r : reports) {
    for (const auto& counter : r.counters)
      counters[counter.first];
  }
  for (const auto& r : reports) {
    if (r.error_occurred)
      continue;
    real.push_back(r.real_accumulated_s);
    cpu.push_back(r.cpu_accumulated_s);
    for (const auto& [key, value] : r.counters)
      counters[key].push_back(value);
  }
  const auto& head = reports.front();
  const double rescale = static_cast<double>(reports.size()) / static_cast<double>(head.iterations);
  // Run::GetAdjustedRealTime: per iteration, in the unit; then in seconds.
  const auto per_iteration = [&head](double accumulated, std::int64_t iterations) {
    double t = accumulated * head.unit_multiplier;
    if (iterations != 0)
      t /= static_cast<double>(iterations);
    return t / head.unit_multiplier;
  };
  for (const auto& stat : default_statistics) {
    collected_run a;
    a.name = head.name;
    a.aggregate = true;
    a.aggregate_name = stat.name;
    a.percentage = stat.percentage;
    a.family_index = head.family_index;
    a.per_family_instance_index = head.per_family_instance_index;
    a.repetitions = head.repetitions;
    a.repetition_index = -1;
    a.threads = head.threads;
    a.iterations = static_cast<std::int64_t>(reports.size());
    a.unit_multiplier = head.unit_multiplier;
    a.real_accumulated_s = stat.compute(real);
    a.cpu_accumulated_s = stat.compute(cpu);
    if (stat.percentage) {
      a.real_s = a.real_accumulated_s;
      a.cpu_s = a.cpu_accumulated_s;
    } else {
      a.real_accumulated_s *= rescale;
      a.cpu_accumulated_s *= rescale;
      a.real_s = per_iteration(a.real_accumulated_s, a.iterations);
      a.cpu_s = per_iteration(a.cpu_accumulated_s, a.iterations);
    }
    for (const auto& [key, values] : counters)
      a.counters.emplace_back(key, stat.compute(values));
    out.push_back(std::move(a));
  }
  return out;
}

std::string seconds_text(double s) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, s < 10 ? "%.1f s" : "%.0f s", s);
  return buffer;
}

// "batch=3 delay_ms=0 keepalive=0 mode=warm workers=3": the workload's
// parameters but its strategy, as the claims group and word them.
std::string workload_words(const results::workload& w) {
  auto parameters = results::parameters(w);
  parameters.erase("strategy");
  std::string out;
  for (const auto& [key, value] : parameters) {
    if (value.empty())
      continue;
    if (!out.empty())
      out += ' ';
    out += key;
    out += '=';
    out += value;
  }
  return out;
}

// A case of the first stage that takes part in the claims: its values over
// the first look, in run order.
struct contender {
  std::string name;
  std::vector<double> values;
  double mean = 0;
};

}  // namespace

second_stage_plan plan_extensions(const std::vector<collected_run>& first_stage,
                                  const result_additions& additions,
                                  const stats::sequential_settings& settings, double budget_seconds,
                                  const std::map<std::string, double>& repetition_seconds) {
  stats::validate(settings);
  auto recorded = recorded_repetition_seconds(first_stage);
  std::map<std::string, bool> failed;  // a failed case is out of the claims
  std::vector<std::string> order;      // case names in order of first appearance
  for (const auto& run : first_stage) {
    if (failed.emplace(run.name, false).second)
      order.push_back(run.name);
    if (run.error_occurred)
      failed[run.name] = true;
  }
  // The workloads in order of first appearance, each with its contenders.
  std::vector<std::pair<std::string, std::vector<contender>>> groups;
  for (const auto& name : order) {
    const auto record = additions.records.find(name);
    const auto workload = additions.workloads.find(name);
    if (failed[name] || workload == additions.workloads.end() ||
        !results::is_contender(workload->second.strategy.name()) ||
        (record != additions.records.end() && !record->second.error.empty()))
      continue;
    auto& values = recorded[name];
    if (values.size() > settings.first_look)
      values.resize(settings.first_look);
    if (values.empty())
      continue;
    const auto words = workload_words(workload->second);
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&words](const auto& g) { return g.first == words; });
    if (group == groups.end())
      group = groups.insert(groups.end(), {words, {}});
    const double mean = stats::mean_of(values);
    group->second.push_back({name, std::move(values), mean});
  }
  second_stage_plan out;
  std::vector<stats::sequential_pair> family;
  std::vector<double> seconds;  // one repetition of both sides
  const auto seconds_of = [&repetition_seconds](const std::string& name) {
    const auto it = repetition_seconds.find(name);
    return it == repetition_seconds.end() ? NAN : it->second;
  };
  for (const auto& [words, contenders] : groups) {
    std::vector<double> means;
    for (const auto& c : contenders)
      means.push_back(c.mean);
    const auto pair = stats::leading_two(means);
    if (!pair)
      continue;
    const auto& fastest = contenders[pair->fastest];
    const auto& runner_up = contenders[pair->runner_up];
    out.comparisons.push_back({words, fastest.name, runner_up.name});
    family.push_back({fastest.values, runner_up.values});
    seconds.push_back(seconds_of(fastest.name) + seconds_of(runner_up.name));
  }
  out.plan = stats::plan_extensions(stats::decide_family(family, settings), seconds, settings,
                                    budget_seconds);
  return out;
}

std::map<std::string, std::size_t> extra_repetitions(const second_stage_plan& plan) {
  std::map<std::string, std::size_t> out;
  for (const auto& x : plan.plan.extensions) {
    const auto& c = plan.comparisons.at(x.comparison);
    for (const auto* name : {&c.fastest, &c.runner_up})
      out[*name] += x.extra_repetitions;
  }
  return out;
}

std::vector<collected_run> merge_stages(const std::vector<collected_run>& first,
                                        const std::vector<collected_run>& second) {
  std::map<std::string, std::vector<const collected_run*>> added;
  for (const auto& run : second) {
    if (!run.aggregate)
      added[run.name].push_back(&run);
  }
  for (auto& [name, runs] : added) {
    std::stable_sort(runs.begin(), runs.end(), [](const auto* a, const auto* b) {
      return a->repetition_index < b->repetition_index;
    });
  }
  // Google Benchmark reports a benchmark's runs together (its repetitions,
  // then its aggregates): an extended benchmark is rebuilt at its last
  // planned repetition, its first-stage aggregates dropped.
  std::map<std::string, std::vector<collected_run>> planned;
  std::map<std::string, std::size_t> last_iteration;
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (first[i].aggregate)
      continue;
    planned[first[i].name].push_back(first[i]);
    last_iteration[first[i].name] = i;
  }
  std::vector<collected_run> out;
  for (std::size_t i = 0; i < first.size(); ++i) {
    const auto& name = first[i].name;
    const auto more = added.find(name);
    if (more == added.end() || planned.count(name) == 0) {
      out.push_back(first[i]);
      continue;
    }
    if (i != last_iteration[name])
      continue;  // an earlier repetition (out with the last one) or an old aggregate
    auto& all = planned[name];
    const auto total = static_cast<std::int64_t>(all.size() + more->second.size());
    const auto family_index = all.front().family_index;
    const auto instance_index = all.front().per_family_instance_index;
    for (const auto* run : more->second) {
      all.push_back(*run);
      auto& appended = all.back();
      appended.family_index = family_index;  // the first stage's registration
      appended.per_family_instance_index = instance_index;
      appended.repetition_index = static_cast<std::int64_t>(all.size() - 1);
    }
    for (auto& run : all)
      run.repetitions = total;
    const auto aggregates = aggregates_of(all);
    out.insert(out.end(), all.begin(), all.end());
    out.insert(out.end(), aggregates.begin(), aggregates.end());
  }
  return out;
}

ordered_json sequential_record(const stats::sequential_settings& settings, double budget_seconds,
                               const second_stage_plan& plan, double seconds_taken) {
  const auto workload = [&plan](std::size_t i) { return plan.comparisons.at(i).workload; };
  ordered_json out;
  out["settings"] = {{"alpha", settings.rule.alpha},
                     {"margin", settings.rule.threshold},
                     {"first_look", settings.first_look},
                     {"allowed_totals", settings.later_looks}};
  out["budget_seconds"] = budget_seconds;
  auto needing = ordered_json::array();
  for (const auto i : plan.plan.needing_more)
    needing.push_back(workload(i));
  out["workloads_needing_more"] = std::move(needing);
  auto extensions = ordered_json::array();
  for (const auto& x : plan.plan.extensions) {
    const auto& c = plan.comparisons.at(x.comparison);
    extensions.push_back({{"workload", c.workload},
                          {"benchmarks", {c.fastest, c.runner_up}},
                          {"total", x.total},
                          {"extra_repetitions", x.extra_repetitions},
                          {"estimated_seconds", x.seconds}});
  }
  out["extensions"] = std::move(extensions);
  auto over = ordered_json::array();
  for (const auto i : plan.plan.over_budget)
    over.push_back(workload(i));
  out["over_budget"] = std::move(over);
  out["extra_repetitions"] = plan.plan.extra_repetitions;
  out["estimated_seconds"] = plan.plan.seconds;
  out["seconds"] = seconds_taken;
  return out;
}

std::string second_stage_line(const ordered_json& s, std::size_t repetitions) {
  const auto needing = s.value("workloads_needing_more", ordered_json::array()).size();
  const auto extended = s.value("extensions", ordered_json::array()).size();
  const auto over = s.value("over_budget", ordered_json::array()).size();
  const double budget = s.value("budget_seconds", 0.0);
  std::string line = "second stage: ";
  const auto first_look = s.value("settings", ordered_json::object()).value("first_look", 0);
  if (needing == 0 && repetitions > 0 && repetitions < static_cast<std::size_t>(first_look)) {
    // The rule looks first at first_look repetitions a side: a run of fewer
    // (--quick) never reaches that look, so nothing was decided or extended
    // here, whatever stays inconclusive above.
    line += "none: " + std::to_string(repetitions) +
            " repetitions a side are fewer than its first look (" + std::to_string(first_look) +
            "), so it extended nothing";
  } else if (needing == 0) {
    line += "no workload was inconclusive at its first look (" + std::to_string(first_look) +
            " repetitions a side); none extended";
  } else if (budget <= 0) {
    line += "off (--extra-budget 0); " + std::to_string(needing) +
            " workload(s) left inconclusive by the planned repetitions";
  } else {
    line += std::to_string(extended) + " of " + std::to_string(needing) +
            " inconclusive workload(s) extended, +" +
            std::to_string(s.value("extra_repetitions", std::size_t{0})) + " repetitions in " +
            seconds_text(s.value("seconds", 0.0)) + " (budget " + seconds_text(budget) + ")";
    if (over > 0)
      line += "; " + std::to_string(over) + " over budget";
  }
  return line.size() > 120 ? line.substr(0, 117) + "..." : line;
}

second_stage_outcome run_second_stage(closed_loop_runner& runner, std::vector<collected_run> first,
                                      const result_additions& additions,
                                      const stats::sequential_settings& settings,
                                      double budget_seconds) {
  const auto plan =
      plan_extensions(first, additions, settings, budget_seconds, runner.repetition_seconds());
  const auto extra = extra_repetitions(plan);
  second_stage_outcome out;
  double seconds = 0;
  if (budget_seconds > 0 && !extra.empty()) {
    const auto start = std::chrono::steady_clock::now();
    // Block by block (bench_case::block), the last first: it is the one
    // that disturbs the machine most (thousands of workers), and it has just
    // run, so the first block's short rounds run furthest from it.
    run_collector second;
    const auto blocks = runner.blocks();
    for (auto b = blocks.rbegin(); b != blocks.rend(); ++b) {
      const auto block = *b;
      benchmark::ClearRegisteredBenchmarks();
      if (runner.register_more(extra, block) > 0)
        second.run_registered();
    }
    benchmark::ClearRegisteredBenchmarks();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.runs = merge_stages(first, second.runs());
  } else {
    out.runs = std::move(first);
  }
  out.record = sequential_record(settings, budget_seconds, plan, seconds);
  return out;
}

}  // namespace poolbench::runner
