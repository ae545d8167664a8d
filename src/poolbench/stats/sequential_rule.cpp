#include <poolbench/stats/sequential_rule.hpp>

#include <poolbench/stats/mann_whitney.hpp>
#include <poolbench/stats/welch_ratio.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace poolbench::stats {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

}  // namespace

std::size_t reachable_look(std::size_t available, const sequential_settings& settings) {
  std::size_t best = 0;
  for (const auto total : settings.later_looks) {
    if (total <= available)
      best = total;
  }
  return best;
}

void validate(const sequential_settings& settings) {
  const auto& rule = settings.rule;
  if (!(rule.alpha > 0 && rule.alpha < 1))
    throw std::invalid_argument("sequential rule: alpha must be in (0, 1)");
  if (!(rule.threshold >= 0 && rule.threshold < 1))
    throw std::invalid_argument("sequential rule: the margin must be in [0, 1)");
  if (settings.first_look < 2)
    throw std::invalid_argument("sequential rule: the first look needs 2 or more repetitions");
  std::size_t previous = settings.first_look;
  for (const auto total : settings.later_looks) {
    if (total <= previous)
      throw std::invalid_argument(
          "sequential rule: later looks must be ascending totals above the first look");
    previous = total;
  }
}

std::size_t look_count(const sequential_settings& settings) {
  return 1 + settings.later_looks.size();
}

double look_alpha(const sequential_settings& settings) {
  return settings.rule.alpha / static_cast<double>(look_count(settings));
}

double look_confidence(const sequential_settings& settings) {
  return 1 - look_alpha(settings);
}

std::size_t cap_of(const sequential_settings& settings) {
  return settings.later_looks.empty() ? settings.first_look : settings.later_looks.back();
}

look_estimate estimate_look(std::span<const double> base, std::span<const double> candidate,
                            const sequential_settings& settings) {
  look_estimate e;
  e.repetitions = std::min(base.size(), candidate.size());
  const double base_mean = mean_of(base);
  e.ratio = base_mean > 0 ? mean_of(candidate) / base_mean : NAN;
  if (base.size() < 2 || candidate.size() < 2)
    return e;
  e.ratio_interval = welch_ratio_interval(base, candidate, look_confidence(settings));
  e.p_value = mann_whitney_u(base, candidate, u_test_method::exact_without_ties).p_value;
  return e;
}

verdict decide_look(const look_estimate& estimate, const std::optional<double>& corrected_p,
                    const sequential_settings& settings) {
  decision_rule at_look = settings.rule;
  at_look.alpha = look_alpha(settings);
  return decide(estimate.ratio_interval, corrected_p, at_look);
}

double projected_repetitions(const look_estimate& estimate, const sequential_settings& settings) {
  const auto& ci = estimate.ratio_interval;
  if (!ci || !(ci->low > 0) || !(estimate.ratio > 0) || estimate.repetitions == 0)
    return NAN;
  // On the log scale a ratio's interval is about symmetric and its width
  // goes as 1 / sqrt(n); each half keeps its own width, since a percentile
  // interval of skewed data is not symmetric.
  const double centre = std::log(estimate.ratio);
  const double below = std::max(centre - std::log(ci->low), 0.0);
  const double above = std::max(std::log(ci->high) - centre, 0.0);
  const double upper_margin = std::log(1 + settings.rule.threshold);
  const double lower_margin = std::log(1 - settings.rule.threshold);
  // The largest shrink factor s (new width / current width) that decides.
  const auto room = [](double distance, double half) {
    return half > 0 ? distance / half : infinity;
  };
  double shrink = 0;
  if (centre > upper_margin) {
    shrink = room(centre - upper_margin, below);
  } else if (centre < lower_margin) {
    shrink = room(lower_margin - centre, above);
  } else {
    shrink = std::min(room(centre - lower_margin, below), room(upper_margin - centre, above));
  }
  if (!(shrink > 0))
    return infinity;
  return static_cast<double>(estimate.repetitions) / (shrink * shrink);
}

std::size_t planned_total(const look_estimate& first, const sequential_settings& settings) {
  const double needed = projected_repetitions(first, settings);
  for (const auto total : settings.later_looks) {
    if (static_cast<double>(total) >= needed)
      return total;
  }
  return cap_of(settings);
}

sequential_outcome run_sequential(std::span<const double> base, std::span<const double> candidate,
                                  const sequential_settings& settings) {
  validate(settings);
  sequential_outcome out;
  const auto first = std::min(settings.first_look, std::min(base.size(), candidate.size()));
  out.estimate = estimate_look(base.first(first), candidate.first(first), settings);
  out.result = decide_look(out.estimate, out.estimate.p_value, settings);
  if (out.result != verdict::inconclusive || first < settings.first_look)
    return out;
  const auto available = std::min(base.size(), candidate.size());
  const auto total =
      reachable_look(std::min(planned_total(out.estimate, settings), available), settings);
  if (total == 0)
    return out;
  out.looks = 2;
  out.estimate = estimate_look(base.first(total), candidate.first(total), settings);
  out.result = decide_look(out.estimate, out.estimate.p_value, settings);
  return out;
}

}  // namespace poolbench::stats
