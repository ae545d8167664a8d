#include <poolbench/results/percentile.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace poolbench::results {

double percentile_of_sorted(std::span<const double> sorted, double p) {
  const double rank = std::clamp(p, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(rank));
  const auto high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - static_cast<double>(low));
}

}  // namespace poolbench::results
