#include <poolbench/report/claims/sequential_family.hpp>

#include <poolbench/report/stats/holm.hpp>

#include <algorithm>
#include <span>

namespace poolbench::report {
namespace {

std::span<const double> first_values(const std::vector<double>& values, std::size_t n) {
  return std::span<const double>(values).first(std::min(n, values.size()));
}

// The look at the first `n` values of each side.
void look_at(sequential_pair& p, std::size_t n, const sequential_settings& s) {
  const auto base = first_values(p.base, n);
  const auto candidate = first_values(p.candidate, n);
  const auto e = estimate_look(base, candidate, s);
  auto& est = p.claim->estimate;
  est.base_mean = mean_of(base);
  est.candidate_mean = mean_of(candidate);
  est.ratio = e.ratio;
  est.base_values = base.size();
  est.candidate_values = candidate.size();
  est.ratio_interval = e.ratio_interval;
  est.p_value = e.p_value;
  p.repetitions = e.repetitions;
}

// Holm over one look's family: every pair counts in m (those not at this
// look with p = 1, so they can only make the correction stricter), then each
// pair at this look is decided at the look's level.
void decide_look_family(std::vector<sequential_pair>& family, const std::vector<bool>& at_look,
                        const sequential_settings& s) {
  std::vector<std::optional<double>> raw;
  for (std::size_t i = 0; i < family.size(); ++i) {
    const auto& p = family[i].claim->estimate.p_value;
    raw.push_back(at_look[i] ? p : (p ? std::optional<double>(1.0) : std::nullopt));
  }
  const auto corrected = holm_adjust_present(raw);
  for (std::size_t i = 0; i < family.size(); ++i) {
    if (!at_look[i])
      continue;
    auto& c = *family[i].claim;
    c.corrected_p = corrected[i];
    look_estimate e;
    e.ratio = c.estimate.ratio;
    e.ratio_interval = c.estimate.ratio_interval;
    c.result = decide_look(e, c.corrected_p, s);
  }
}

}  // namespace

std::size_t decide_sequentially(std::vector<sequential_pair>& family,
                                const sequential_settings& settings) {
  for (auto& p : family) {
    look_at(p, settings.first_look, settings);
    p.claim->look = 1;
  }
  decide_look_family(family, std::vector<bool>(family.size(), true), settings);
  const auto tests = static_cast<std::size_t>(std::count_if(
      family.begin(), family.end(),
      [](const sequential_pair& p) { return p.claim->estimate.p_value.has_value(); }));

  std::vector<std::size_t> reached(family.size(), 0);
  for (std::size_t i = 0; i < family.size(); ++i) {
    auto& p = family[i];
    if (p.claim->result != verdict::inconclusive || p.repetitions < settings.first_look)
      continue;
    look_estimate e;
    e.ratio = p.claim->estimate.ratio;
    e.ratio_interval = p.claim->estimate.ratio_interval;
    e.repetitions = p.repetitions;
    p.planned_total = planned_total(e, settings);
    reached[i] = reachable_look(std::min(p.base.size(), p.candidate.size()), settings);
  }
  for (const auto total : settings.later_looks) {
    std::vector<bool> at_look(family.size(), false);
    for (std::size_t i = 0; i < family.size(); ++i) {
      if (reached[i] != total)
        continue;
      at_look[i] = true;
      look_at(family[i], total, settings);
      family[i].claim->look = 2;
    }
    if (std::find(at_look.begin(), at_look.end(), true) != at_look.end())
      decide_look_family(family, at_look, settings);
  }
  return tests;
}

}  // namespace poolbench::report
