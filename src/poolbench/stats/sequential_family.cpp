#include <poolbench/stats/sequential_family.hpp>

#include <poolbench/stats/holm.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace poolbench::stats {
namespace {

std::span<const double> first_values(std::span<const double> values, std::size_t n) {
  return values.first(std::min(n, values.size()));
}

// The look at the first `n` values of each side.
void look_at(const sequential_pair& p, std::size_t n, const sequential_settings& s,
             sequential_decision& d) {
  const auto base = first_values(p.base, n);
  const auto candidate = first_values(p.candidate, n);
  d.estimate = estimate_look(base, candidate, s);
  d.base_mean = mean_of(base);
  d.candidate_mean = mean_of(candidate);
  d.base_values = base.size();
  d.candidate_values = candidate.size();
}

// Holm over one look's family: every pair counts in m (those not at this
// look with p = 1, so they can only make the correction stricter), then each
// pair at this look is decided at the look's level.
void decide_look_family(std::vector<sequential_decision>& family, const std::vector<bool>& at_look,
                        const sequential_settings& s) {
  std::vector<std::optional<double>> raw;
  for (std::size_t i = 0; i < family.size(); ++i) {
    const auto& p = family[i].estimate.p_value;
    raw.push_back(at_look[i] ? p : (p ? std::optional<double>(1.0) : std::nullopt));
  }
  const auto corrected = holm_adjust_present(raw);
  for (std::size_t i = 0; i < family.size(); ++i) {
    if (!at_look[i])
      continue;
    auto& d = family[i];
    d.corrected_p = corrected[i];
    d.result = decide_look(d.estimate, d.corrected_p, s);
  }
}

}  // namespace

std::optional<leading_pair> leading_two(std::span<const double> means) {
  if (means.size() < 2)
    return std::nullopt;
  std::vector<std::size_t> order(means.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return means[a] < means[b]; });
  return leading_pair{order[0], order[1]};
}

family_decision decide_family(std::span<const sequential_pair> family,
                              const sequential_settings& settings) {
  family_decision out;
  out.pairs.resize(family.size());
  for (std::size_t i = 0; i < family.size(); ++i)
    look_at(family[i], settings.first_look, settings, out.pairs[i]);
  decide_look_family(out.pairs, std::vector<bool>(family.size(), true), settings);
  out.tests = static_cast<std::size_t>(
      std::count_if(out.pairs.begin(), out.pairs.end(),
                    [](const sequential_decision& d) { return d.estimate.p_value.has_value(); }));

  std::vector<std::size_t> reached(family.size(), 0);
  for (std::size_t i = 0; i < family.size(); ++i) {
    auto& d = out.pairs[i];
    if (d.result != verdict::inconclusive || d.estimate.repetitions < settings.first_look)
      continue;
    d.planned_total = planned_total(d.estimate, settings);
    reached[i] =
        reachable_look(std::min(family[i].base.size(), family[i].candidate.size()), settings);
  }
  for (const auto total : settings.later_looks) {
    std::vector<bool> at_look(family.size(), false);
    for (std::size_t i = 0; i < family.size(); ++i) {
      if (reached[i] != total)
        continue;
      at_look[i] = true;
      look_at(family[i], total, settings, out.pairs[i]);
      out.pairs[i].look = 2;
    }
    if (std::find(at_look.begin(), at_look.end(), true) != at_look.end())
      decide_look_family(out.pairs, at_look, settings);
  }
  return out;
}

extension_plan plan_extensions(const family_decision& first_look,
                               std::span<const double> seconds_per_repetition,
                               const sequential_settings& settings, double budget_seconds) {
  extension_plan plan;
  struct want {
    std::size_t comparison;
    double projected;
    double per_repetition;  // both sides
  };
  std::vector<want> wants;
  for (std::size_t i = 0; i < first_look.pairs.size(); ++i) {
    const auto& d = first_look.pairs[i];
    if (d.planned_total == 0)
      continue;
    plan.needing_more.push_back(i);
    const double projected = projected_repetitions(d.estimate, settings);
    wants.push_back({i, std::isnan(projected) ? HUGE_VAL : projected,
                     i < seconds_per_repetition.size() ? seconds_per_repetition[i] : NAN});
  }
  // Closest to a decision first; ties keep the family's order.
  std::stable_sort(wants.begin(), wants.end(),
                   [](const want& a, const want& b) { return a.projected < b.projected; });
  double left = budget_seconds;
  std::vector<double> per_repetition;  // of each extension, both sides
  for (const auto& w : wants) {
    const auto& d = first_look.pairs[w.comparison];
    const auto repetitions = d.estimate.repetitions;
    std::size_t total = 0;
    for (const auto candidate : settings.later_looks) {
      const double cost = static_cast<double>(candidate - repetitions) * w.per_repetition;
      // A side whose time is unknown (NaN) is never extended under a finite budget.
      const bool fits = std::isinf(budget_seconds) || cost <= left;
      if (candidate <= d.planned_total && fits)
        total = candidate;
    }
    if (total == 0) {
      plan.over_budget.push_back(w.comparison);
      continue;
    }
    planned_extension x;
    x.comparison = w.comparison;
    x.total = total;
    x.extra_repetitions = total - repetitions;
    x.seconds = static_cast<double>(x.extra_repetitions) * w.per_repetition;
    if (!std::isinf(budget_seconds))
      left -= x.seconds;
    plan.extra_repetitions += 2 * x.extra_repetitions;
    plan.seconds += x.seconds;
    plan.extensions.push_back(x);
    per_repetition.push_back(w.per_repetition);
  }
  // A finite budget left over once every comparison has its planned total
  // raises extensions towards the cap, in the same order: the projection
  // from the first look is rough (a run can plan 18 for a comparison still
  // inconclusive at 18 with budget unspent), and the rule's error rates hold
  // whichever allowed total a comparison reaches.
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

}  // namespace poolbench::stats
