#include <poolbench/stats/mann_whitney.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace poolbench::stats {
namespace {

// Beyond this many (x, y) pairs the exact count is slow and the normal
// approximation is already very close.
constexpr double max_exact_pairs = 10000;
// u_test_method::exact_without_ties: up to 50 x 50 values.
constexpr double max_exact_pairs_without_ties = 2500;

struct ranking {
  std::vector<double> ranks;  // average ranks of ties, 1-based, input order
  double tie_term = 0;        // sum over tie groups of t^3 - t
};

ranking rank_with_ties(const std::vector<double>& values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  ranking r;
  r.ranks.resize(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]])
      ++j;
    const double average = (static_cast<double>(i + j) + 2.0) / 2.0;
    for (std::size_t k = i; k <= j; ++k)
      r.ranks[order[k]] = average;
    const double t = static_cast<double>(j - i + 1);
    r.tie_term += t * t * t - t;
    i = j + 1;
  }
  return r;
}

// P(U >= u) under the null hypothesis, from the number of orderings giving
// each U: f(i, j) = f(i - 1, j) shifted by j + f(i, j - 1). Only additions,
// so the counts stay exact in doubles as long as they fit in 53 bits.
double exact_survival(double u, std::size_t m, std::size_t n) {
  if (m > n)
    std::swap(m, n);
  // counts[i] holds f(i, j) for the current j, as a polynomial in U.
  std::vector<std::vector<double>> counts(m + 1);
  // f(i, 0) = 1: with no y values, U is 0 in the one possible order.
  for (auto& c : counts)
    c = {1.0};
  for (std::size_t j = 1; j <= n; ++j) {
    for (std::size_t i = 1; i <= m; ++i) {
      auto& current = counts[i];
      const auto& shorter = counts[i - 1];  // already f(i - 1, j)
      current.resize(i * j + 1, 0.0);
      for (std::size_t k = 0; k < shorter.size(); ++k)
        current[k + j] += shorter[k];
    }
  }
  const auto& f = counts[m];
  const double total = std::accumulate(f.begin(), f.end(), 0.0);
  double tail = 0;
  for (std::size_t k = static_cast<std::size_t>(std::ceil(u)); k < f.size(); ++k)
    tail += f[k];
  return tail / total;
}

}  // namespace

mann_whitney_result mann_whitney_u(std::span<const double> x, std::span<const double> y,
                                   u_test_method method) {
  if (x.empty() || y.empty())
    throw std::invalid_argument("mann_whitney_u: an empty sample");
  const auto finite = [](double v) { return std::isfinite(v); };
  if (!std::all_of(x.begin(), x.end(), finite) || !std::all_of(y.begin(), y.end(), finite)) {
    throw std::invalid_argument("mann_whitney_u: a non-finite value");
  }
  const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
  std::vector<double> all(x.begin(), x.end());
  all.insert(all.end(), y.begin(), y.end());
  const ranking r = rank_with_ties(all);

  mann_whitney_result result;
  const double r1 =
      std::accumulate(r.ranks.begin(), r.ranks.begin() + static_cast<long>(x.size()), 0.0);
  result.u1 = r1 - n1 * (n1 + 1) / 2;
  const double u = std::max(result.u1, n1 * n2 - result.u1);

  const bool exact =
      r.tie_term == 0 && (method == u_test_method::exact_without_ties
                              ? n1 * n2 <= max_exact_pairs_without_ties
                              : (x.size() <= 8 || y.size() <= 8) && n1 * n2 <= max_exact_pairs);
  if (exact) {
    result.exact = true;
    result.p_value = 2 * exact_survival(u, x.size(), y.size());
  } else {
    const double n = n1 + n2;
    const double sigma = std::sqrt(n1 * n2 / 12 * ((n + 1) - r.tie_term / (n * (n - 1))));
    // Every value equal: no evidence of any difference.
    if (!(sigma > 0))
      return result;
    const double z = (u - n1 * n2 / 2 - 0.5) / sigma;
    result.p_value = std::erfc(z / std::sqrt(2.0));  // 2 * P(Z > z)
  }
  result.p_value = std::clamp(result.p_value, 0.0, 1.0);
  return result;
}

}  // namespace poolbench::stats
