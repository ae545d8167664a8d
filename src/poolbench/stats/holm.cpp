#include <poolbench/stats/holm.hpp>

#include <algorithm>
#include <numeric>

namespace poolbench::stats {

std::vector<double> holm_adjust(std::span<const double> p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running_max = 0;
  for (std::size_t rank = 0; rank < m; ++rank) {
    const double scaled = static_cast<double>(m - rank) * p_values[order[rank]];
    running_max = std::max(running_max, std::min(1.0, scaled));
    adjusted[order[rank]] = running_max;
  }
  return adjusted;
}

std::vector<std::optional<double>> holm_adjust_present(
    std::span<const std::optional<double>> p_values) {
  std::vector<double> present;
  for (const auto& p : p_values) {
    if (p)
      present.push_back(*p);
  }
  const auto adjusted = holm_adjust(present);
  std::vector<std::optional<double>> out;
  std::size_t next = 0;
  for (const auto& p : p_values)
    out.push_back(p ? std::optional<double>(adjusted[next++]) : std::nullopt);
  return out;
}

}  // namespace poolbench::stats
