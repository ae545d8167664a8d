#include <poolbench/report/claims/sequential_plan.hpp>

#include <poolbench/report/claims/claim_workload.hpp>
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

const benchmark_result* find_benchmark(const std::vector<result_file>& files,
                                       const workload_claim& c, const std::string& strategy) {
  return find_claim_benchmark(files, c.source, c.workload, strategy);
}

struct located {
  const benchmark_result* fastest = nullptr;
  const benchmark_result* runner_up = nullptr;
};

// evaluate_sequential with the first look's data (`first`, the files cut to
// first_look repetitions) made by the caller, which may already hold it.
sequential_claims evaluate_with_first_look(const std::vector<result_file>& files,
                                           const std::vector<result_file>& first,
                                           const sequential_settings& settings) {
  validate(settings);
  sequential_claims out;
  out.settings = settings;
  auto pairs = compute_single_look_claims(first, settings.rule);
  out.failed = pairs.failed;

  std::vector<sequential_pair> family;
  for (auto& c : pairs.workloads) {
    sequential_claim s;
    const located l{find_benchmark(files, c, c.fastest), find_benchmark(files, c, c.runner_up)};
    if (!l.fastest || !l.runner_up)
      continue;  // cannot happen for a claim compute_claims made from these files
    s.fastest_benchmark = l.fastest->name;
    s.runner_up_benchmark = l.runner_up->name;
    s.claim = std::move(c);
    out.workloads.push_back(std::move(s));
    family.push_back({nullptr, inference_values(*l.fastest), inference_values(*l.runner_up)});
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

}  // namespace

double timed_repetition_seconds(const benchmark_result& b) {
  const auto repetitions = b.repetition_means.size();
  if (repetitions == 0 || !std::isfinite(b.stats.mean) || b.stats.rounds == 0)
    return NAN;
  return b.stats.mean * static_cast<double>(b.stats.rounds) / static_cast<double>(repetitions);
}

sequential_claims evaluate_sequential(const std::vector<result_file>& files,
                                      const sequential_settings& settings) {
  return evaluate_with_first_look(files, first_repetitions(files, settings.first_look), settings);
}

stage_decision plan_second_stage(const std::vector<result_file>& files,
                                 const sequential_settings& settings, double budget_seconds,
                                 const repetition_seconds& seconds) {
  const auto first = first_repetitions(files, settings.first_look);
  // Cut once: cutting the cut files again would copy them for nothing.
  const auto evaluated = evaluate_with_first_look(first, first, settings);
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
    plan.workloads_needing_more.push_back(evaluated.workloads[i].claim.workload);
  for (const auto i : planned.over_budget)
    plan.over_budget.push_back(evaluated.workloads[i].claim.workload);
  for (const auto& p : planned.extensions) {
    const auto& s = evaluated.workloads[p.comparison];
    extension x;
    x.workload = s.claim.workload;
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
