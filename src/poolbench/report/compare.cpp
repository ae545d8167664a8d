#include <poolbench/report/compare.hpp>

#include <poolbench/report/aligned_text.hpp>
#include <poolbench/report/units.hpp>

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

comparison compare_one(const benchmark_result& base, const benchmark_result& candidate) {
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
  c.estimate = estimate_ratio(inference_values(base), inference_values(candidate), c.name);
  return c;
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

verdict_counts comparison_report::counts() const {
  verdict_counts n;
  for (const auto& c : common)
    ++n.by_verdict[static_cast<std::size_t>(c.result)];
  return n;
}

bool comparison_report::gate_fails() const {
  return std::any_of(common.begin(), common.end(), [](const comparison& c) {
    return c.result == verdict::slower || c.failed_in_candidate;
  });
}

comparison_report compare_results(const result_file& base, const result_file& candidate,
                                  const decision_rule& rule) {
  comparison_report report;
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
    } else {
      report.common.push_back(compare_one(b, *it->second));
    }
  }
  for (const auto& b : candidate.benchmarks) {
    if (!in_base.count(b.name))
      report.only_in_candidate.push_back(b.name);
  }
  report.tests = correct_and_decide(report.common, report.rule);
  return report;
}

void write_comparison(std::ostream& out, const comparison_report& report) {
  out << "Comparing " << report.base_file << " (old) to " << report.candidate_file << " (new)\n";
  if (report.common.empty()) {
    out << "No benchmark is present in both files.\n";
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"Benchmark", "Old", "New", "New/Old [95% CI]", "p (Holm)", "Verdict"}};
    for (const auto& c : report.common) {
      if (c.result == verdict::failed) {
        rows.push_back({c.name, "", "", "", "", c.failure});
      } else {
        rows.push_back({c.name, time_text(c.estimate.base_mean),
                        time_text(c.estimate.candidate_mean), ratio_text(c.estimate),
                        p_text(c.corrected_p), to_string(c.result)});
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
  list("old", report.base_file, report.only_in_base);
  list("new", report.candidate_file, report.only_in_candidate);
  char alpha[32];
  std::snprintf(alpha, sizeof alpha, "%g", report.rule.alpha);
  out << "Method: Old/New are means of the repetition means; two-sided Mann-Whitney U test over "
         "repetition means, Holm-corrected across the "
      << report.tests << " benchmark(s) tested; 95% percentile bootstrap interval of New/Old ("
      << bootstrap_options{}.resamples
      << " resamples of the repetitions, fixed seed). slower/faster: corrected p < " << alpha
      << " and the whole interval beyond ±" << percent_text(report.rule.threshold)
      << "; same: the whole interval within ±" << percent_text(report.rule.threshold)
      << "; otherwise inconclusive.\n";
  const auto n = report.counts();
  out << "Verdicts:";
  const char* separator = " ";
  for (const verdict v :
       {verdict::slower, verdict::faster, verdict::same, verdict::inconclusive, verdict::failed}) {
    out << separator << n[v] << ' ' << to_string(v);
    separator = ", ";
  }
  out << '\n';
}

}  // namespace poolbench::report
