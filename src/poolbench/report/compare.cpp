#include <poolbench/report/compare.hpp>

#include <poolbench/report/mann_whitney.hpp>
#include <poolbench/report/units.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace poolbench::report {
namespace {

// Google Benchmark's compare.py needs at least two values a side.
constexpr std::size_t min_values_for_test = 2;

std::vector<double> finite(const std::vector<double>& values) {
  std::vector<double> out;
  std::copy_if(values.begin(), values.end(), std::back_inserter(out),
               [](double v) { return std::isfinite(v); });
  return out;
}

double relative_change(double before, double after) {
  if (!std::isfinite(before) || !std::isfinite(after) || before == 0)
    return NAN;
  return (after - before) / before;
}

comparison compare_one(const benchmark_result& base, const benchmark_result& candidate,
                       double alpha) {
  comparison c;
  c.name = base.name;
  c.base = base.stats;
  c.candidate = candidate.stats;
  c.mean_change = relative_change(base.stats.mean, candidate.stats.mean);
  c.median_change = relative_change(base.stats.median, candidate.stats.median);
  const auto x = finite(base.samples), y = finite(candidate.samples);
  c.base_values = x.size();
  c.candidate_values = y.size();
  if (x.size() < min_values_for_test || y.size() < min_values_for_test)
    return c;
  c.p_value = mann_whitney_u(x, y).p_value;
  if (*c.p_value >= alpha || std::isnan(c.mean_change) || c.mean_change == 0) {
    c.result = verdict::same;
  } else {
    c.result = c.mean_change > 0 ? verdict::slower : verdict::faster;
  }
  return c;
}

std::string time_text(double seconds) {
  if (std::isnan(seconds))
    return "n/a";
  const auto unit = time_scale_for(seconds);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.4f %ss", seconds * unit.factor, unit.prefix.c_str());
  return buffer;
}

std::string percent_text(double change) {
  if (std::isnan(change))
    return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%+.2f%%", change * 100);
  return buffer;
}

std::string p_text(const std::optional<double>& p) {
  if (!p)
    return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", *p);
  return buffer;
}

}  // namespace

const char* to_string(verdict v) noexcept {
  switch (v) {
    case verdict::faster:
      return "faster";
    case verdict::slower:
      return "slower";
    case verdict::same:
      return "same";
    case verdict::unknown:
      return "unknown";
  }
  return "?";
}

comparison_report compare_results(const result_file& base, const result_file& candidate,
                                  double alpha) {
  comparison_report report;
  report.base_file = base.path;
  report.candidate_file = candidate.path;
  report.alpha = alpha;
  std::map<std::string, const benchmark_result*> in_candidate;
  for (const auto& b : candidate.benchmarks)
    in_candidate.emplace(b.name, &b);
  std::map<std::string, bool> in_base;
  for (const auto& b : base.benchmarks) {
    in_base[b.name] = true;
    const auto it = in_candidate.find(b.name);
    if (it == in_candidate.end()) {
      report.only_in_base.push_back(b.name);
    } else {
      report.common.push_back(compare_one(b, *it->second, alpha));
    }
  }
  for (const auto& b : candidate.benchmarks) {
    if (!in_base.count(b.name))
      report.only_in_candidate.push_back(b.name);
  }
  return report;
}

std::vector<const comparison*> regressions(const comparison_report& report, double percent) {
  std::vector<const comparison*> slower;
  for (const auto& c : report.common) {
    if (c.result == verdict::slower && c.mean_change * 100 > percent)
      slower.push_back(&c);
  }
  return slower;
}

void write_comparison(std::ostream& out, const comparison_report& report) {
  const std::vector<std::string> header = {"Benchmark", "Mean old",   "Mean new",
                                           "Change",    "Median old", "Median new",
                                           "Change",    "p-value",    "Verdict"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : report.common) {
    rows.push_back({c.name, time_text(c.base.mean), time_text(c.candidate.mean),
                    percent_text(c.mean_change), time_text(c.base.median),
                    time_text(c.candidate.median), percent_text(c.median_change), p_text(c.p_value),
                    to_string(c.result)});
  }
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    widths[i] = header[i].size();
    for (const auto& r : rows)
      widths[i] = std::max(widths[i], r[i].size());
  }
  auto write_row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::size_t pad = widths[i] - cells[i].size();
      // The name and the verdict read left to right; numbers align right.
      if (i + 1 == cells.size()) {
        out << cells[i];
      } else if (i == 0) {
        out << cells[i] << std::string(pad, ' ');
      } else {
        out << std::string(pad, ' ') << cells[i];
      }
      out << (i + 1 == cells.size() ? "\n" : "  ");
    }
  };
  out << "Comparing " << report.base_file << " (old) to " << report.candidate_file << " (new)\n";
  if (!rows.empty()) {
    write_row(header);
    for (const auto& r : rows)
      write_row(r);
  } else {
    out << "No benchmark is present in both files.\n";
  }
  auto list = [&](const char* which, const std::string& file,
                  const std::vector<std::string>& names) {
    if (names.empty())
      return;
    out << "Only in " << which << " (" << file << "), " << names.size() << ":\n";
    for (const auto& n : names)
      out << "  " << n << '\n';
  };
  list("old", report.base_file, report.only_in_base);
  list("new", report.candidate_file, report.only_in_candidate);
  char alpha[32];
  std::snprintf(alpha, sizeof alpha, "%g", report.alpha);
  out << "Verdict: two-sided Mann-Whitney U test on per-round times (per-repetition times for "
         "files without samples), significant when p < "
      << alpha << "; \"unknown\" when a side has fewer than 2 values.\n";
}

}  // namespace poolbench::report
