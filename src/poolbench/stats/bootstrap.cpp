#include <poolbench/stats/bootstrap.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <vector>

namespace poolbench::stats {
namespace {

// A uniform index in [0, n) from the generator's raw 64-bit output: values at
// or above the largest multiple of n are rejected, so every index is equally
// likely and the sequence is the same with every standard library.
std::size_t draw_index(std::mt19937_64& generator, std::size_t n) {
  const std::uint64_t span = n;
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() / span * span;
  for (;;) {
    const std::uint64_t v = generator();
    if (v < limit)
      return static_cast<std::size_t>(v % span);
  }
}

double resampled_mean(std::mt19937_64& generator, std::span<const double> values) {
  double sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    sum += values[draw_index(generator, values.size())];
  return sum / static_cast<double>(values.size());
}

// The q-quantile of sorted values, interpolating linearly between order
// statistics (numpy's default, "type 7").
double quantile_of_sorted(const std::vector<double>& sorted, double q) {
  const double h = (static_cast<double>(sorted.size()) - 1) * q;
  const auto below = static_cast<std::size_t>(std::floor(h));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::optional<interval> percentile_interval(std::vector<double> estimates, double confidence) {
  if (estimates.empty())
    return std::nullopt;
  std::sort(estimates.begin(), estimates.end());
  const double tail = (1 - confidence) / 2;
  return interval{quantile_of_sorted(estimates, tail), quantile_of_sorted(estimates, 1 - tail)};
}

bool usable(std::span<const double> values) {
  return values.size() >= 2 &&
         std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

void check(const bootstrap_options& options) {
  if (options.resamples == 0 || !(options.confidence > 0 && options.confidence < 1))
    throw std::invalid_argument("bootstrap: resamples must be > 0 and confidence in (0, 1)");
}

}  // namespace

std::uint64_t bootstrap_seed_for(std::string_view name, std::uint64_t seed) {
  std::uint64_t hash = 0xcbf29ce484222325;  // FNV-1a offset basis
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3;  // FNV-1a prime
  }
  return seed ^ hash;
}

double mean_of(std::span<const double> values) {
  if (values.empty())
    return std::numeric_limits<double>::quiet_NaN();
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

std::optional<interval> bootstrap_ratio_of_means(std::span<const double> base,
                                                 std::span<const double> candidate,
                                                 const bootstrap_options& options) {
  check(options);
  if (!usable(base) || !usable(candidate))
    return std::nullopt;
  std::mt19937_64 generator(options.seed);
  std::vector<double> ratios;
  ratios.reserve(options.resamples);
  for (std::size_t b = 0; b < options.resamples; ++b) {
    const double before = resampled_mean(generator, base);
    const double after = resampled_mean(generator, candidate);
    if (!(before > 0))
      return std::nullopt;
    ratios.push_back(after / before);
  }
  return percentile_interval(std::move(ratios), options.confidence);
}

std::optional<interval> bootstrap_mean(std::span<const double> values,
                                       const bootstrap_options& options) {
  check(options);
  if (!usable(values))
    return std::nullopt;
  std::mt19937_64 generator(options.seed);
  std::vector<double> means;
  means.reserve(options.resamples);
  for (std::size_t b = 0; b < options.resamples; ++b)
    means.push_back(resampled_mean(generator, values));
  return percentile_interval(std::move(means), options.confidence);
}

}  // namespace poolbench::stats
