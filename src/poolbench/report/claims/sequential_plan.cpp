#include <poolbench/report/claims/sequential_plan.hpp>

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/claims/sequential_family.hpp>
#include <poolbench/stats/sequential_family.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::report {
namespace {

// Copies of the files holding only each benchmark's first `n` repetitions:
// the data of the first look, whatever was added after it.
std::vector<result_file> first_repetitions(const std::vector<result_file>& files, std::size_t n) {
  auto out = files;
  for (auto& f : out) {
    for (auto& b : f.benchmarks) {
      if (b.repetition_means.size() > n)
        b.repetition_means.resize(n);
    }
  }
  return out;
}

// Benchmarks of the pool experiments left out because a repetition failed.
std::vector<std::string> failed_benchmarks(const std::vector<result_file>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    for (const auto& b : f.benchmarks) {
      if (f.format != source_format::pytest_benchmark && !strategy_of(b).empty() && b.failed())
        out.push_back(b.name + " (" + f.path + "): " + b.error);
    }
  }
  return out;
}

// A time claim's side: its inference values, of which the first look has
// those among its first `first_look` repetitions.
std::optional<side_values> time_side(const benchmark_result& b, std::size_t first_look) {
  side_values side{inference_values(b), 0};
  const auto& means = b.repetition_means;
  side.first_look = means.empty()
                        ? side.values.size()
                        : static_cast<std::size_t>(std::count_if(
                              means.begin(), means.begin() + std::min(first_look, means.size()),
                              [](double v) { return std::isfinite(v); }));
  return side;
}

}  // namespace

double timed_repetition_seconds(const benchmark_result& b) {
  const auto repetitions = b.repetition_means.size();
  if (repetitions == 0 || !std::isfinite(b.stats.mean) || b.stats.rounds == 0)
    return NAN;
  return b.stats.mean * static_cast<double>(b.stats.rounds) / static_cast<double>(repetitions);
}

sequential_claims evaluate_sequential(const std::vector<result_file>& files,
                                      const sequential_settings& settings) {
  validate(settings);
  sequential_claims out;
  out.settings = settings;
  out.failed = failed_benchmarks(files);
  auto pairs = pick_pairs(
      files, [&](const benchmark_result& b) { return time_side(b, settings.first_look); });
  std::vector<sequential_pair> family;
  for (auto& p : pairs) {
    sequential_claim s;
    s.fastest_benchmark = p.fastest->name;
    s.runner_up_benchmark = p.runner_up->name;
    s.claim = std::move(p.claim);
    out.workloads.push_back(std::move(s));
    family.push_back({nullptr, std::move(p.fastest_values), std::move(p.runner_up_values)});
  }
  for (std::size_t i = 0; i < family.size(); ++i)
    family[i].claim = &out.workloads[i].claim;
  out.tests = decide_sequentially(family, settings);
  for (std::size_t i = 0; i < family.size(); ++i) {
    auto& s = out.workloads[i];
    s.look = s.claim.look;
    s.repetitions = family[i].repetitions;
    s.planned_total = family[i].planned_total;
  }
  return out;
}

stage_decision plan_second_stage(const std::vector<result_file>& files,
                                 const sequential_settings& settings, double budget_seconds,
                                 const repetition_seconds& seconds) {
  const auto first = first_repetitions(files, settings.first_look);
  // On the cut files every look is the first one.
  const auto evaluated = evaluate_sequential(first, settings);
  // The first look as stats::plan_extensions reads it (the runner plans with
  // the same function on the same numbers, kept in memory).
  stats::family_decision looked;
  std::vector<double> per_repetition;  // both sides
  for (const auto& s : evaluated.workloads) {
    stats::sequential_decision d;
    d.estimate.repetitions = s.repetitions;
    d.estimate.ratio = s.claim.estimate.ratio;
    d.estimate.ratio_interval = s.claim.estimate.ratio_interval;
    d.planned_total = s.planned_total;
    looked.pairs.push_back(d);
    double both = 0;
    for (const auto* name : {&s.fastest_benchmark, &s.runner_up_benchmark}) {
      for (const auto& f : first) {
        for (const auto& b : f.benchmarks) {
          if (f.path == s.claim.source && b.name == *name)
            both += seconds(b);
        }
      }
    }
    per_repetition.push_back(both);
  }
  const auto planned = stats::plan_extensions(looked, per_repetition, settings, budget_seconds);
  stage_decision plan;
  for (const auto i : planned.needing_more)
    plan.workloads_needing_more.push_back(workload_text(evaluated.workloads[i].claim.key));
  for (const auto i : planned.over_budget)
    plan.over_budget.push_back(workload_text(evaluated.workloads[i].claim.key));
  for (const auto& p : planned.extensions) {
    const auto& s = evaluated.workloads[p.comparison];
    extension x;
    x.workload = workload_text(s.claim.key);
    x.source = s.claim.source;
    x.benchmarks = {s.fastest_benchmark, s.runner_up_benchmark};
    x.total = p.total;
    x.extra_repetitions = p.extra_repetitions;
    x.seconds = p.seconds;
    plan.extensions.push_back(std::move(x));
  }
  plan.extra_repetitions = planned.extra_repetitions;
  plan.seconds = planned.seconds;
  return plan;
}

}  // namespace poolbench::report
