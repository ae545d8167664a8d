#include <poolbench/stats/welch_ratio.hpp>

#include <poolbench/stats/student_t.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace poolbench::stats {
namespace {

struct side {
  double mean = 0;
  double relative_variance = 0;  // s^2 / (n mean^2): of log(mean), by the delta method
  double n = 0;
};

std::optional<side> summarise(std::span<const double> values) {
  if (values.size() < 2 ||
      !std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }))
    return std::nullopt;
  side s;
  s.n = static_cast<double>(values.size());
  s.mean = mean_of(values);
  if (!(s.mean > 0))
    return std::nullopt;
  double squares = 0;
  for (const double v : values)
    squares += (v - s.mean) * (v - s.mean);
  s.relative_variance = squares / (s.n - 1) / (s.n * s.mean * s.mean);
  return s;
}

}  // namespace

std::optional<interval> welch_ratio_interval(std::span<const double> base,
                                             std::span<const double> candidate, double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("welch_ratio_interval: confidence must be in (0, 1)");
  const auto b = summarise(base), c = summarise(candidate);
  if (!b || !c)
    return std::nullopt;
  const double centre = std::log(c->mean / b->mean);
  const double variance = b->relative_variance + c->relative_variance;
  if (!(variance > 0))
    return interval{std::exp(centre), std::exp(centre)};  // every value equal on each side
  const double degrees = variance * variance /
                         (b->relative_variance * b->relative_variance / (b->n - 1) +
                          c->relative_variance * c->relative_variance / (c->n - 1));
  const double half = student_t_quantile(1 - (1 - confidence) / 2, degrees) * std::sqrt(variance);
  return interval{std::exp(centre - half), std::exp(centre + half)};
}

std::optional<interval> welch_difference_interval(std::span<const double> base,
                                                  std::span<const double> candidate,
                                                  double confidence) {
  if (!(confidence > 0 && confidence < 1))
    throw std::invalid_argument("welch_difference_interval: confidence must be in (0, 1)");
  const auto finite = [](std::span<const double> v) {
    return v.size() >= 2 &&
           std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
  };
  if (!finite(base) || !finite(candidate))
    return std::nullopt;
  const auto variance_of_mean = [](std::span<const double> v, double mean) {
    double squares = 0;
    for (const double x : v)
      squares += (x - mean) * (x - mean);
    const auto n = static_cast<double>(v.size());
    return squares / (n - 1) / n;
  };
  const double mb = mean_of(base), mc = mean_of(candidate);
  const double vb = variance_of_mean(base, mb), vc = variance_of_mean(candidate, mc);
  const double centre = mc - mb, variance = vb + vc;
  if (!(variance > 0))
    return interval{centre, centre};
  const double degrees = variance * variance /
                         (vb * vb / (static_cast<double>(base.size()) - 1) +
                          vc * vc / (static_cast<double>(candidate.size()) - 1));
  const double half = student_t_quantile(1 - (1 - confidence) / 2, degrees) * std::sqrt(variance);
  return interval{centre - half, centre + half};
}

}  // namespace poolbench::stats
