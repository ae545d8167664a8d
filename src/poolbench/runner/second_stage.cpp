#include <poolbench/runner/second_stage.hpp>

#include <poolbench/report/input/load.hpp>

#include <poolbench/results/benchmark_json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

// Google Benchmark 1.7.1 exports these from libbenchmark (src/statistics.h)
// without declaring them in benchmark.h. Calling them, rather than copies,
// is what makes the recomputed aggregates the ones Google Benchmark would
// have written for one run of N repetitions.
namespace benchmark {
std::vector<BenchmarkReporter::Run> ComputeStats(
    const std::vector<BenchmarkReporter::Run>& reports);
double StatisticsMean(const std::vector<double>& v);
double StatisticsMedian(const std::vector<double>& v);
double StatisticsStdDev(const std::vector<double>& v);
double StatisticsCV(const std::vector<double>& v);
}  // namespace benchmark

namespace poolbench::runner {
namespace {

using gb_run = benchmark::BenchmarkReporter::Run;
using nlohmann::ordered_json;

// Every benchmark's statistics as Google Benchmark's Benchmark constructor
// sets them (no poolbench benchmark adds any). The runs' own pointer is to
// a benchmark that ClearRegisteredBenchmarks destroyed.
const std::vector<benchmark::internal::Statistics>& default_statistics() {
  static const std::vector<benchmark::internal::Statistics> stats = {
      {"mean", benchmark::StatisticsMean},
      {"median", benchmark::StatisticsMedian},
      {"stddev", benchmark::StatisticsStdDev},
      {"cv", benchmark::StatisticsCV, benchmark::kPercentage}};
  return stats;
}

std::string name_of(const gb_run& run) {
  return results::without_run_suffixes(run.run_name.str());
}

bool is_iteration(const gb_run& run) {
  return run.run_type == gb_run::RT_Iteration;
}

std::string seconds_text(double s) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, s < 10 ? "%.1f s" : "%.0f s", s);
  return buffer;
}

}  // namespace

report::stage_decision plan_extensions(const ordered_json& first_stage,
                                       const report::sequential_settings& settings,
                                       double budget_seconds,
                                       const std::map<std::string, double>& repetition_seconds) {
  const std::vector<report::result_file> files{
      report::result_from_document(first_stage, "first stage")};
  const auto seconds = [&](const report::benchmark_result& b) {
    const auto it = repetition_seconds.find(b.name);
    return it == repetition_seconds.end() ? NAN : it->second;
  };
  return report::plan_second_stage(files, settings, budget_seconds, seconds);
}

std::map<std::string, std::size_t> extra_repetitions(const report::stage_decision& plan) {
  std::map<std::string, std::size_t> out;
  for (const auto& x : plan.extensions) {
    for (const auto& name : x.benchmarks)
      out[name] += x.extra_repetitions;
  }
  return out;
}

std::vector<gb_run> merge_stages(const std::vector<gb_run>& first,
                                 const std::vector<gb_run>& second) {
  std::map<std::string, std::vector<gb_run>> added;
  for (const auto& run : second) {
    if (is_iteration(run))
      added[name_of(run)].push_back(run);
  }
  for (auto& [name, runs] : added) {
    std::stable_sort(runs.begin(), runs.end(), [](const gb_run& a, const gb_run& b) {
      return a.repetition_index < b.repetition_index;
    });
  }
  // Google Benchmark reports a benchmark's runs together (its repetitions,
  // then its aggregates): an extended benchmark is rebuilt at its last
  // planned repetition, its first-stage aggregates dropped.
  std::map<std::string, std::vector<gb_run>> planned;
  std::map<std::string, std::size_t> last_iteration;
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (!is_iteration(first[i]))
      continue;
    planned[name_of(first[i])].push_back(first[i]);
    last_iteration[name_of(first[i])] = i;
  }
  std::vector<gb_run> out;
  for (std::size_t i = 0; i < first.size(); ++i) {
    const auto name = name_of(first[i]);
    const auto more = added.find(name);
    if (more == added.end() || planned.count(name) == 0) {
      out.push_back(first[i]);
      continue;
    }
    if (i != last_iteration[name])
      continue;  // an earlier repetition (out with the last one) or an old aggregate
    auto all = planned[name];
    const auto total = static_cast<std::int64_t>(all.size() + more->second.size());
    const auto head = all.front();  // a copy: `all` grows below
    for (auto run : more->second) {
      run.run_name = head.run_name;  // "repeats:N" of the registration: the first stage's
      run.family_index = head.family_index;
      run.per_family_instance_index = head.per_family_instance_index;
      run.repetition_index = static_cast<std::int64_t>(all.size());
      all.push_back(std::move(run));
    }
    for (auto& run : all) {
      run.repetitions = total;
      run.statistics = &default_statistics();
    }
    const auto aggregates = benchmark::ComputeStats(all);
    out.insert(out.end(), all.begin(), all.end());
    out.insert(out.end(), aggregates.begin(), aggregates.end());
  }
  return out;
}

ordered_json sequential_record(const report::sequential_settings& settings, double budget_seconds,
                               const report::stage_decision& plan, double seconds_taken) {
  ordered_json out;
  out["settings"] = {{"alpha", settings.rule.alpha},
                     {"margin", settings.rule.threshold},
                     {"first_look", settings.first_look},
                     {"allowed_totals", settings.later_looks}};
  out["budget_seconds"] = budget_seconds;
  out["workloads_needing_more"] = plan.workloads_needing_more;
  auto extensions = ordered_json::array();
  for (const auto& x : plan.extensions) {
    extensions.push_back({{"workload", x.workload},
                          {"benchmarks", x.benchmarks},
                          {"total", x.total},
                          {"extra_repetitions", x.extra_repetitions},
                          {"estimated_seconds", x.seconds}});
  }
  out["extensions"] = std::move(extensions);
  out["over_budget"] = plan.over_budget;
  out["extra_repetitions"] = plan.extra_repetitions;
  out["estimated_seconds"] = plan.seconds;
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

second_stage_outcome run_second_stage(closed_loop_runner& runner, const run_collector& first,
                                      const result_additions& additions,
                                      const report::sequential_settings& settings,
                                      double budget_seconds) {
  const auto document = build_result_document(first.runs(), first.machine(), additions);
  const auto plan =
      plan_extensions(document, settings, budget_seconds, runner.repetition_seconds());
  const auto extra = extra_repetitions(plan);
  second_stage_outcome out;
  out.runs = first.runs();
  double seconds = 0;
  if (budget_seconds > 0 && !extra.empty()) {
    const auto start = std::chrono::steady_clock::now();
    benchmark::ClearRegisteredBenchmarks();
    runner.register_more(extra);
    run_collector second;
    benchmark::RunSpecifiedBenchmarks(&second);
    benchmark::ClearRegisteredBenchmarks();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.runs.clear();
    for (const auto& run : merge_stages(first.gb_runs(), second.gb_runs()))
      out.runs.push_back(collect(run));
  }
  out.record = sequential_record(settings, budget_seconds, plan, seconds);
  return out;
}

}  // namespace poolbench::runner
