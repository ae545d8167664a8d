#include <poolbench/report/compare/compare.hpp>

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/tables/aligned_text.hpp>
#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace poolbench::report {
namespace {

std::string failure_text(const benchmark_result& base, const benchmark_result& candidate) {
  std::string text = "failed: ";
  if (base.failed() && candidate.failed())
    return text + "in both files: " + candidate.error;
  return text + (candidate.failed() ? "in new: " + candidate.error : "in old: " + base.error);
}

// A benchmark with the counter in one file only: the files disagree on what
// was measured, which a gate must not read as "no change".
void require_pair(const benchmark_result& base, const benchmark_result& candidate,
                  compare_metric metric) {
  if (has_metric(base, metric) == has_metric(candidate, metric))
    return;
  const auto& lacking = has_metric(base, metric) ? candidate : base;
  throw input_error(lacking.file +
                    ": benchmark "
                    " + lacking.name + "
                    " has no " +
                    metric_counter(metric) + ", which the other file has (--metric " +
                    to_string(metric) + ")");
}

comparison compare_one(const benchmark_result& base, const benchmark_result& candidate,
                       compare_metric metric) {
  comparison c;
  c.name = base.name;
  c.base = base.stats;
  c.candidate = candidate.stats;
  if (base.failed() || candidate.failed()) {
    c.result = verdict::failed;
    c.failed_in_base = base.failed();
    c.failed_in_candidate = candidate.failed();
    c.failure = failure_text(base, candidate);
    return c;
  }
  require_pair(base, candidate, metric);
  c.estimate =
      estimate_ratio(metric_values(base, metric), metric_values(candidate, metric), c.name);
  if (!has_metric(base, metric)) {
    c.why_inconclusive = std::string("no ") + metric_counter(metric) + " in either file";
    return c;
  }
  for (const auto* side : {&base, &candidate}) {
    if (metric != compare_metric::time)
      break;  // the counters are per repetition whatever the file kept of the times
    if (side->kind == sample_kind::summary && c.why_inconclusive.empty()) {
      c.why_inconclusive = std::string("only aggregates in the ") +
                           (side == &base ? "old" : "new") +
                           " file (--benchmark_report_aggregates_only): no repetition values "
                           "to test";
    }
  }
  return c;
}

// The smallest n for which n values a side can reach `alpha` after a Holm
// correction over `tests` tests.
std::size_t repetitions_needed(double alpha, std::size_t tests) {
  std::size_t n = 2;
  while (n < 1000 && smallest_exact_p(n, n) * static_cast<double>(tests) >= alpha)
    ++n;
  return n;
}

// After the verdicts: why an inconclusive benchmark could not have had any
// other verdict, whatever its numbers.
void explain_inconclusive(comparison_report& report) {
  for (auto& c : report.common) {
    if (c.result != verdict::inconclusive || !c.why_inconclusive.empty())
      continue;
    const std::size_t n1 = c.estimate.base_values, n2 = c.estimate.candidate_values;
    const std::size_t tests = std::max<std::size_t>(report.tests, 1);
    char text[256];
    if (n1 < 2 || n2 < 2) {
      std::snprintf(text, sizeof text,
                    "%zu and %zu repetitions: at least 2 a side are needed for a test and an "
                    "interval (%zu+ recommended)",
                    n1, n2, repetitions_needed(report.rule.alpha, tests));
      c.why_inconclusive = text;
    } else if (smallest_exact_p(n1, n2) * static_cast<double>(tests) >= report.rule.alpha) {
      std::snprintf(text, sizeof text,
                    "%zu and %zu repetitions: the exact U test's smallest p is %.3g (x %zu "
                    "tests for Holm), never below alpha %g; %zu+ repetitions a side needed",
                    n1, n2, smallest_exact_p(n1, n2), tests, report.rule.alpha,
                    repetitions_needed(report.rule.alpha, tests));
      c.why_inconclusive = text;
    }
  }
}

std::string p_text(const std::optional<double>& p) {
  if (!p)
    return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, *p < 1e-3 ? "%.1e" : "%.4f", *p);
  return buffer;
}

std::string percent_text(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g%%", fraction * 100);
  return buffer;
}

}  // namespace

std::string time_text(double seconds) {
  if (!std::isfinite(seconds))
    return "n/a";
  const auto unit = time_scale_for(seconds);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.4f %ss", seconds * unit.factor, unit.prefix.c_str());
  return buffer;
}

double smallest_exact_p(std::size_t n1, std::size_t n2) {
  // 2 / C(n1 + n2, n1), in doubles: the counts here stay far below overflow.
  double ways = 1;
  for (std::size_t i = 1; i <= std::min(n1, n2); ++i)
    ways = ways * static_cast<double>(n1 + n2 - std::min(n1, n2) + i) / static_cast<double>(i);
  return std::min(1.0, 2.0 / ways);
}

verdict_counts comparison_report::counts() const {
  verdict_counts n;
  for (const auto& c : common)
    ++n.by_verdict[static_cast<std::size_t>(c.result)];
  for (const auto& c : latency)
    ++n.by_verdict[static_cast<std::size_t>(c.result)];
  return n;
}

bool comparison_report::gate_fails() const {
  return std::any_of(common.begin(), common.end(),
                     [](const comparison& c) {
                       return c.result == verdict::slower || c.failed_in_candidate;
                     }) ||
         std::any_of(latency.begin(), latency.end(), [](const latency_comparison& c) {
           return c.result == verdict::slower || c.failed_in_candidate;
         });
}

comparison_report compare_results(const result_file& base, const result_file& candidate,
                                  const decision_rule& rule, compare_metric metric) {
  if (metric != compare_metric::time) {
    require_metric(base, metric);
    require_metric(candidate, metric);
  }
  comparison_report report;
  report.metric = metric;
  report.base_file = base.path;
  report.candidate_file = candidate.path;
  report.rule = rule;
  std::map<std::string, const benchmark_result*> in_candidate;
  for (const auto& b : candidate.benchmarks)
    in_candidate.emplace(b.name, &b);
  std::map<std::string, bool> in_base;
  for (const auto& b : base.benchmarks) {
    in_base[b.name] = true;
    const auto it = in_candidate.find(b.name);
    if (it == in_candidate.end()) {
      report.only_in_base.push_back(b.name);
    } else if (metric == compare_metric::time && (b.open_loop || it->second->open_loop)) {
      report.latency.push_back(compare_latency(b, *it->second, rule));
    } else {
      report.common.push_back(compare_one(b, *it->second, metric));
    }
  }
  for (const auto& b : candidate.benchmarks) {
    if (!in_base.count(b.name))
      report.only_in_candidate.push_back(b.name);
  }
  report.tests = correct_and_decide(report.common, report.rule);
  explain_inconclusive(report);
  return report;
}

void write_comparison(std::ostream& out, const comparison_report& report) {
  out << "Comparing " << report.base_file << " (old) to " << report.candidate_file << " (new)\n";
  if (report.empty()) {
    out << "No benchmark is present in both files.\n";
  } else if (!report.common.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"Benchmark", "Old", "New", "New/Old [95% CI]", "p (Holm)", "Verdict"}};
    for (const auto& c : report.common) {
      if (c.result == verdict::failed) {
        rows.push_back({c.name, "", "", "", "", c.failure});
      } else {
        rows.push_back({c.name, metric_text(c.estimate.base_mean, report.metric),
                        metric_text(c.estimate.candidate_mean, report.metric),
                        ratio_text(c.estimate), p_text(c.corrected_p),
                        verdict_text(c.result, report.metric)});
      }
    }
    write_aligned(out, rows);
  }
  auto list = [&](const char* which, const std::string& file,
                  const std::vector<std::string>& names) {
    if (names.empty())
      return;
    out << "Only in " << which << " (" << file << "), " << names.size() << ":\n";
    for (const auto& n : names)
      out << "  " << n << '\n';
  };
  write_latency_comparison(out, report);
  list("old", report.base_file, report.only_in_base);
  list("new", report.candidate_file, report.only_in_candidate);
  char alpha[32];
  std::snprintf(alpha, sizeof alpha, "%g", report.rule.alpha);
  if (!report.common.empty())
    out << "Method"
        << (report.metric == compare_metric::time
                ? std::string()
                : std::string(" (--metric ") + to_string(report.metric) + ")")
        << ": Old/New are means of the " << metric_values_text(report.metric)
        << "; two-sided Mann-Whitney U test over "
        << (report.metric == compare_metric::time ? "repetition means" : "those values")
        << ", Holm-corrected across the " << report.tests
        << " benchmark(s) tested; 95% percentile bootstrap interval of New/Old ("
        << bootstrap_options{}.resamples << " resamples of the repetitions, fixed seed). "
        << verdict_text(verdict::slower, report.metric) << '/'
        << verdict_text(verdict::faster, report.metric) << ": corrected p < " << alpha
        << " and the whole interval beyond ±" << percent_text(report.rule.threshold)
        << "; same: the whole interval within ±" << percent_text(report.rule.threshold)
        << "; otherwise inconclusive.\n";
  const auto n = report.counts();
  out << "Verdicts:";
  const char* separator = " ";
  for (const verdict v :
       {verdict::slower, verdict::faster, verdict::same, verdict::inconclusive, verdict::failed}) {
    out << separator << n[v] << ' ' << verdict_text(v, report.metric);
    separator = ", ";
  }
  out << '\n';
  // As compare.py's "Results unreliable! 9+ repetitions recommended.": say
  // when no verdict was possible at all, rather than leave "inconclusive".
  std::vector<std::pair<std::string, std::vector<std::string>>> reasons;  // in first-seen order
  for (const auto& c : report.common) {
    if (c.why_inconclusive.empty() || c.result != verdict::inconclusive)
      continue;
    auto it = std::find_if(reasons.begin(), reasons.end(),
                           [&](const auto& r) { return r.first == c.why_inconclusive; });
    if (it == reasons.end())
      it = reasons.insert(reasons.end(), {c.why_inconclusive, {}});
    it->second.push_back(c.name);
  }
  for (const auto& [reason, names] : reasons) {
    out << "No verdict possible for "
        << (names.size() == 1 ? names.front() : std::to_string(names.size()) + " benchmarks")
        << ": " << reason << ".\n";
  }
}

}  // namespace poolbench::report
