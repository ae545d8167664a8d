#include <poolbench/report/sequential_plan.hpp>

#include <poolbench/report/claim_workload.hpp>
#include <poolbench/report/holm.hpp>
#include <poolbench/report/ratio_estimate.hpp>

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

std::vector<double> first_values(const benchmark_result& b, std::size_t n) {
  auto values = inference_values(b);
  if (values.size() > n)
    values.resize(n);
  return values;
}

// The largest allowed later total both sides reach, or 0.
std::size_t later_look_reached(std::size_t available, const sequential_settings& s) {
  std::size_t best = 0;
  for (const auto total : s.later_looks) {
    if (total <= available)
      best = total;
  }
  return best;
}

void set_estimate(workload_claim& c, const look_estimate& e, const std::vector<double>& base,
                  const std::vector<double>& candidate) {
  c.estimate.base_mean = mean_of(base);
  c.estimate.candidate_mean = mean_of(candidate);
  c.estimate.ratio = e.ratio;
  c.estimate.base_values = base.size();
  c.estimate.candidate_values = candidate.size();
  c.estimate.ratio_interval = e.ratio_interval;
  c.estimate.p_value = e.p_value;
}

// Holm over one look's family: every workload claim counts in m (those not
// at this look with p = 1, so they can only make the correction stricter),
// then each claim at this look is decided at the look's level.
void decide_family(std::vector<sequential_claim>& claims, const std::vector<bool>& at_look,
                   const sequential_settings& s) {
  std::vector<std::optional<double>> raw;
  for (std::size_t i = 0; i < claims.size(); ++i) {
    const auto& p = claims[i].claim.estimate.p_value;
    raw.push_back(at_look[i] ? p : (p ? std::optional<double>(1.0) : std::nullopt));
  }
  const auto corrected = holm_adjust_present(raw);
  for (std::size_t i = 0; i < claims.size(); ++i) {
    if (!at_look[i])
      continue;
    auto& c = claims[i].claim;
    c.corrected_p = corrected[i];
    look_estimate e;
    e.ratio = c.estimate.ratio;
    e.ratio_interval = c.estimate.ratio_interval;
    c.result = decide_look(e, c.corrected_p, s);
  }
}

struct located {
  const benchmark_result* fastest = nullptr;
  const benchmark_result* runner_up = nullptr;
};

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
  const auto first = first_repetitions(files, settings.first_look);
  auto pairs = compute_single_look_claims(first, settings.rule);
  out.failed = pairs.failed;

  std::vector<located> where;
  for (auto& c : pairs.workloads) {
    sequential_claim s;
    const located l{find_benchmark(files, c, c.fastest), find_benchmark(files, c, c.runner_up)};
    if (!l.fastest || !l.runner_up)
      continue;  // cannot happen for a claim compute_claims made from these files
    s.fastest_benchmark = l.fastest->name;
    s.runner_up_benchmark = l.runner_up->name;
    const auto base = first_values(*l.fastest, settings.first_look);
    const auto candidate = first_values(*l.runner_up, settings.first_look);
    const auto e = estimate_look(base, candidate, settings);
    s.claim = std::move(c);
    set_estimate(s.claim, e, base, candidate);
    s.repetitions = e.repetitions;
    out.workloads.push_back(std::move(s));
    where.push_back(l);
  }
  auto& claims = out.workloads;
  decide_family(claims, std::vector<bool>(claims.size(), true), settings);
  out.tests = static_cast<std::size_t>(std::count_if(
      claims.begin(), claims.end(),
      [](const sequential_claim& c) { return c.claim.estimate.p_value.has_value(); }));

  // Later looks: a claim inconclusive at the first look whose two sides both
  // reached an allowed total is decided there, each total its own family.
  std::vector<std::size_t> reached(claims.size(), 0);
  for (std::size_t i = 0; i < claims.size(); ++i) {
    auto& s = claims[i];
    if (s.claim.result != verdict::inconclusive || s.repetitions < settings.first_look)
      continue;
    look_estimate e;
    e.ratio = s.claim.estimate.ratio;
    e.ratio_interval = s.claim.estimate.ratio_interval;
    e.repetitions = s.repetitions;
    s.planned_total = planned_total(e, settings);
    const auto available = std::min(inference_values(*where[i].fastest).size(),
                                    inference_values(*where[i].runner_up).size());
    reached[i] = later_look_reached(available, settings);
  }
  for (const auto total : settings.later_looks) {
    std::vector<bool> at_look(claims.size(), false);
    for (std::size_t i = 0; i < claims.size(); ++i) {
      if (reached[i] != total)
        continue;
      at_look[i] = true;
      auto& s = claims[i];
      const auto base = first_values(*where[i].fastest, total);
      const auto candidate = first_values(*where[i].runner_up, total);
      const auto e = estimate_look(base, candidate, settings);
      set_estimate(s.claim, e, base, candidate);
      s.look = 2;
      s.repetitions = e.repetitions;
    }
    if (std::find(at_look.begin(), at_look.end(), true) != at_look.end())
      decide_family(claims, at_look, settings);
  }
  return out;
}

stage_decision plan_second_stage(const std::vector<result_file>& files,
                                 const sequential_settings& settings, double budget_seconds,
                                 const repetition_seconds& seconds) {
  const auto first = first_repetitions(files, settings.first_look);
  const auto evaluated = evaluate_sequential(first, settings);
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
  }
  return plan;
}

}  // namespace poolbench::report
