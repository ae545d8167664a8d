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

}  // namespace poolbench::stats
