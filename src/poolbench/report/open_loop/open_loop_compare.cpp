// Comparing open-loop runs: on what they measure (latency at an offered
// rate, and the rate achieved), never on the wall time of their fixed-length
// run. Each rate runs once, so there is no repetition to test: the verdict
// is by threshold alone, which the method line says.

#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/formatted.hpp>
#include <poolbench/report/open_loop/open_loop.hpp>
#include <poolbench/report/tables/aligned_text.hpp>

#include <cmath>
#include <limits>

namespace poolbench::report {
namespace {

double ratio_of(double base, double candidate) {
  return base > 0 && std::isfinite(base) && std::isfinite(candidate)
             ? candidate / base
             : std::numeric_limits<double>::quiet_NaN();
}

std::string ms_pair(double base, double candidate) {
  return latency_ms_text(base) + " -> " + latency_ms_text(candidate) + " ms";
}

std::string ratio_cell(double r) {
  if (!std::isfinite(r))
    return "n/a";
  return formatted("%.3f", r);
}

}  // namespace

latency_comparison compare_latency(const benchmark_result& base, const benchmark_result& candidate,
                                   const decision_rule& rule) {
  latency_comparison c;
  c.name = base.name;
  c.base = base.open_loop.value_or(open_loop_run{});
  c.candidate = candidate.open_loop.value_or(open_loop_run{});
  if (base.failed() || candidate.failed()) {
    c.result = verdict::failed;
    c.failed_in_base = base.failed();
    c.failed_in_candidate = candidate.failed();
    c.failure =
        "failed: " + (candidate.failed() ? "in new: " + candidate.error : "in old: " + base.error);
    return c;
  }
  c.p50_ratio = ratio_of(c.base.latency.p50, c.candidate.latency.p50);
  c.p99_ratio = ratio_of(c.base.latency.p99, c.candidate.latency.p99);
  c.p999_ratio = ratio_of(c.base.latency.p999, c.candidate.latency.p999);
  c.achieved_ratio = ratio_of(c.base.achieved_rate, c.candidate.achieved_rate);
  const double up = 1 + rule.threshold, down = 1 - rule.threshold;
  const bool known =
      std::isfinite(c.p50_ratio) && std::isfinite(c.p99_ratio) && std::isfinite(c.achieved_ratio);
  if (!known) {
    c.result = verdict::inconclusive;
  } else if (c.p50_ratio > up || c.p99_ratio > up || c.achieved_ratio < down ||
             c.candidate.incomplete > c.base.incomplete) {
    c.result = verdict::slower;
  } else if (c.p99_ratio < down) {
    c.result = verdict::faster;
  } else if (c.p50_ratio >= down && c.achieved_ratio <= up) {
    c.result = verdict::same;
  } else {
    c.result = verdict::inconclusive;
  }
  return c;
}

void write_latency_comparison(std::ostream& out, const comparison_report& report) {
  if (report.latency.empty())
    return;
  std::vector<std::vector<std::string>> rows = {{"Open-loop run", "p50 old -> new",
                                                 "p99 old -> new", "p99.9 old -> new",
                                                 "p99 new/old", "Achieved req/s", "Verdict"}};
  for (const auto& c : report.latency) {
    if (c.result == verdict::failed) {
      rows.push_back({c.name, "", "", "", "", "", c.failure});
      continue;
    }
    const std::string achieved =
        formatted("%.1f -> %.1f", c.base.achieved_rate, c.candidate.achieved_rate);
    std::string verdict_cell = to_string(c.result);
    if (c.candidate.incomplete > c.base.incomplete) {
      verdict_cell += " (incomplete " + std::to_string(c.base.incomplete) + " -> " +
                      std::to_string(c.candidate.incomplete) + ")";
    }
    rows.push_back({c.name, ms_pair(c.base.latency.p50, c.candidate.latency.p50),
                    ms_pair(c.base.latency.p99, c.candidate.latency.p99),
                    ms_pair(c.base.latency.p999, c.candidate.latency.p999), ratio_cell(c.p99_ratio),
                    achieved, verdict_cell});
  }
  write_aligned(out, rows);
  const std::string threshold = formatted("%g%%", report.rule.threshold * 100);
  out << "Method (open loop): latency from each request's intended send time; each rate ran "
         "once, so there is no significance test, only the threshold. slower: p50 or p99 above "
         "+"
      << threshold << ", achieved rate below -" << threshold
      << ", or more requests unanswered; faster: p99 below -" << threshold
      << " and nothing slower; same: p50, p99 and achieved rate within +-" << threshold
      << "; otherwise inconclusive. Repeat a run to see how much its p99 moves by itself.\n";
}

}  // namespace poolbench::report
