#include <poolbench/report/claims/drift.hpp>

#include <poolbench/report/stats_names.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <stdexcept>

namespace poolbench::report {
namespace {

// Average ranks 1..n (ties share the mean of their ranks).
std::vector<double> ranks_of(std::span<const double> values) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]])
      ++j;
    const double rank = (static_cast<double>(i + j) / 2.0) + 1.0;
    for (std::size_t k = i; k <= j; ++k)
      ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

// Pearson's correlation of the ranks with 1..n: Spearman's rho, ties included.
double rho_of_ranks(const std::vector<double>& ranks) {
  const double n = static_cast<double>(ranks.size());
  const double mean = (n + 1) / 2;
  double sxy = 0;
  double sxx = 0;
  double syy = 0;
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const double x = static_cast<double>(i + 1) - mean;
    const double y = ranks[i] - mean;
    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  return syy == 0 ? 0 : sxy / std::sqrt(sxx * syy);
}

// Exact null distribution for n <= 10: the count of permutations by
// sum of squared rank differences D (rho = 1 - 6D / (n^3 - n)).
std::vector<std::uint64_t> d_counts(std::size_t n) {
  static std::map<std::size_t, std::vector<std::uint64_t>> cache;  // report is single-threaded
  if (auto it = cache.find(n); it != cache.end())
    return it->second;
  std::vector<int> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  const std::size_t max_d = (n * n * n - n) / 3;
  std::vector<std::uint64_t> counts(max_d + 1, 0);
  do {
    std::size_t d = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto diff = static_cast<long>(i) - perm[i];
      d += static_cast<std::size_t>(diff * diff);
    }
    ++counts[d];
  } while (std::next_permutation(perm.begin(), perm.end()));
  return cache.emplace(n, std::move(counts)).first->second;
}

std::string format_p(double p) {
  std::string s = std::to_string(p);  // "0.050000"
  while (s.size() > 1 && s.back() == '0')
    s.pop_back();
  return s;
}

}  // namespace

double spearman_rho_against_order(std::span<const double> values) {
  if (values.size() < 2)
    throw std::invalid_argument("Spearman's rho needs at least 2 values");
  return rho_of_ranks(ranks_of(values));
}

double spearman_p_two_sided(double rho, std::size_t n) {
  if (n < 3)
    throw std::invalid_argument("Spearman's test needs at least 3 values");
  if (n <= 10) {
    // P(|rho'| >= |rho|): D is symmetric about its mean (n^3 - n) / 6.
    const auto counts = d_counts(n);
    const double scale = static_cast<double>(n * n * n - n) / 6.0;
    const double limit = std::abs(rho) - 1e-12;
    std::uint64_t hits = 0;
    std::uint64_t all = 0;
    for (std::size_t d = 0; d < counts.size(); ++d) {
      all += counts[d];
      if (std::abs(1.0 - (static_cast<double>(d) / scale)) >= limit)
        hits += counts[d];
    }
    return static_cast<double>(hits) / static_cast<double>(all);
  }
  if (std::abs(rho) >= 1)
    return 0;
  const double df = static_cast<double>(n - 2);
  const double t = std::abs(rho) * std::sqrt(df / (1 - (rho * rho)));
  return std::min(1.0, 2 * (1 - student_t_cdf(t, df)));
}

drift_report detect_drift(const std::vector<result_file>& files, double alpha) {
  drift_report out;
  out.alpha = alpha;
  std::vector<drift_finding> tested;
  for (const auto& file : files) {
    if (file.format == source_format::pytest_benchmark)
      continue;
    for (const auto& b : file.benchmarks) {
      const auto& m = b.repetition_means;
      if (b.failed() || b.open_loop || m.size() < drift_min_repetitions())
        continue;
      drift_finding f;
      f.benchmark = b.name;
      f.file = file.path;
      f.repetitions = m.size();
      f.rho = spearman_rho_against_order(m);
      f.p = spearman_p_two_sided(f.rho, m.size());
      const std::size_t third = std::max<std::size_t>(1, m.size() / 3);
      const double first = std::accumulate(m.begin(), m.begin() + third, 0.0) / third;
      const double last = std::accumulate(m.end() - third, m.end(), 0.0) / third;
      f.change = first > 0 ? (last / first) - 1 : 0;
      const std::span<const double> all(m);
      const double first_median = compute_statistics(all.first(third)).median;
      const double last_median = compute_statistics(all.last(third)).median;
      f.median_change = first_median > 0 ? (last_median / first_median) - 1 : 0;
      tested.push_back(std::move(f));
    }
  }
  std::vector<double> p;
  for (const auto& f : tested)
    p.push_back(f.p);
  const auto corrected = holm_adjust(p);
  for (std::size_t i = 0; i < tested.size(); ++i) {
    tested[i].corrected_p = corrected[i];
    if (corrected[i] < alpha)
      out.drifting.push_back(tested[i]);
  }
  std::stable_sort(out.drifting.begin(), out.drifting.end(), [](const auto& a, const auto& b) {
    return std::abs(a.change) > std::abs(b.change);
  });
  out.tested = tested.size();
  for (const auto& f : tested) {
    if (std::abs(f.median_change) <= order_tolerance())
      ++out.within_tolerance;
    if (!out.largest || std::abs(f.median_change) > std::abs(out.largest->median_change))
      out.largest = f;
  }
  return out;
}

std::string signed_percent(double change) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, wrongly) on
  // "literal" + std::string here.
  const long pct = std::lround(change * 100);
  std::string out = pct >= 0 ? "+" : "";
  out.append(std::to_string(pct)).append("%");
  return out;
}

std::string tolerance_text(const drift_report& report) {
  std::string out = "; last third against first third (medians) within ±";
  out.append(std::to_string(std::lround(order_tolerance() * 100)))
      .append("% for ")
      .append(std::to_string(report.within_tolerance))
      .append(" of ")
      .append(std::to_string(report.tested));
  if (report.largest)
    out.append(", the largest ")
        .append(report.largest->benchmark)
        .append(" ")
        .append(signed_percent(report.largest->median_change));
  return out;
}

std::string drift_text(const drift_report& report) {
  if (report.tested == 0)
    return "";
  if (report.drifting.empty())
    return "order: none of " + std::to_string(report.tested) +
           " benchmarks changed with its repetition order (Spearman, Holm p < " +
           format_p(report.alpha) + ")" + tolerance_text(report);
  std::string out = "drift: " + std::to_string(report.drifting.size()) + " of " +
                    std::to_string(report.tested) +
                    " benchmarks changed with their repetition order (Spearman, Holm p < " +
                    format_p(report.alpha) + "):";
  for (const auto& f : report.drifting) {
    out.append(" ").append(f.benchmark).append(" ").append(signed_percent(f.change));
    out += &f == &report.drifting.back() ? "" : ",";
  }
  return out + tolerance_text(report);
}

}  // namespace poolbench::report
