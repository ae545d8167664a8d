#include <poolbench/report/claims/sequential_plan.hpp>

#include <poolbench/report/claims/claim_workload.hpp>
#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/claims/sequential_family.hpp>
#include <poolbench/report/stats/holm.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

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
  stage_decision plan;
  struct want {
    const sequential_claim* claim;
    double projected;
    double per_repetition;  // both sides
  };
  std::vector<want> wants;
  for (const auto& s : evaluated.workloads) {
    if (s.planned_total == 0)
      continue;
    plan.workloads_needing_more.push_back(s.claim.workload);
    look_estimate e;
    e.ratio = s.claim.estimate.ratio;
    e.ratio_interval = s.claim.estimate.ratio_interval;
    e.repetitions = s.repetitions;
    double per_repetition = 0;
    for (const auto* name : {&s.fastest_benchmark, &s.runner_up_benchmark}) {
      for (const auto& f : first) {
        for (const auto& b : f.benchmarks) {
          if (f.path == s.claim.source && b.name == *name)
            per_repetition += seconds(b);
        }
      }
    }
    const double projected = projected_repetitions(e, settings);
    wants.push_back({&s, std::isnan(projected) ? HUGE_VAL : projected, per_repetition});
  }
  // Closest to a decision first; ties keep the claims' order.
  std::stable_sort(wants.begin(), wants.end(),
                   [](const want& a, const want& b) { return a.projected < b.projected; });
  double left = budget_seconds;
  std::vector<double> per_repetition;  // of each extension, both sides
  for (const auto& w : wants) {
    const auto& s = *w.claim;
    std::size_t total = 0;
    for (const auto candidate : settings.later_looks) {
      const double cost = static_cast<double>(candidate - s.repetitions) * w.per_repetition;
      // A side whose time is unknown (NaN) is never extended under a finite budget.
      const bool fits = std::isinf(budget_seconds) || cost <= left;
      if (candidate <= s.planned_total && fits)
        total = candidate;
    }
    if (total == 0) {
      plan.over_budget.push_back(s.claim.workload);
      continue;
    }
    extension x;
    x.workload = s.claim.workload;
    x.source = s.claim.source;
    x.benchmarks = {s.fastest_benchmark, s.runner_up_benchmark};
    x.total = total;
    x.extra_repetitions = total - s.repetitions;
    x.seconds = static_cast<double>(x.extra_repetitions) * w.per_repetition;
    if (!std::isinf(budget_seconds))
      left -= x.seconds;
    plan.extra_repetitions += 2 * x.extra_repetitions;
    plan.seconds += x.seconds;
    plan.extensions.push_back(std::move(x));
    per_repetition.push_back(w.per_repetition);
  }
  // A finite budget left over once every workload has its planned total
  // raises extensions towards the cap, in the same order: the projection
  // from the first look is rough (a published run has planned 18 for a
  // workload still inconclusive at 18, with 13 of its 90 s unspent), and the
  // rule's error rates hold whichever allowed total a workload reaches.
  if (std::isinf(budget_seconds))
    return plan;
  for (std::size_t i = 0; i < plan.extensions.size(); ++i) {
    auto& x = plan.extensions[i];
    for (auto candidate = settings.later_looks.rbegin(); candidate != settings.later_looks.rend();
         ++candidate) {
      if (*candidate <= x.total)
        break;
      const double cost = static_cast<double>(*candidate - x.total) * per_repetition[i];
      if (cost > left)
        continue;
      left -= cost;
      plan.extra_repetitions += 2 * (*candidate - x.total);
      plan.seconds += cost;
      x.seconds += cost;
      x.extra_repetitions += *candidate - x.total;
      x.total = *candidate;
      break;
    }
  }
  return plan;
}

}  // namespace poolbench::report
