#include <poolbench/report/summary.hpp>

#include <poolbench/report/aligned_text.hpp>
#include <poolbench/report/compare.hpp>
#include <poolbench/report/sequential_rule.hpp>

#include <cstdio>

namespace poolbench::report {
namespace {

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string percent(double fraction) {
  return number(fraction * 100) + "%";
}

std::string factor_text(const ratio_estimate& e) {
  return ratio_text(e, 2, "×");
}

// The sequential rule compute_claims() decides with: its defaults, `rule`'s
// alpha and margin.
sequential_settings rule_of(const decision_rule& rule) {
  sequential_settings s;
  s.rule = rule;
  return s;
}

// "98.3%": the confidence of every claim's interval.
std::string confidence_text(const decision_rule& rule) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", look_confidence(rule_of(rule)) * 100);
  return buffer;
}

std::string how_text(const results_claims& claims) {
  const auto s = rule_of(claims.rule);
  std::string totals;
  for (const auto t : s.later_looks)
    totals += (totals.empty() ? "" : " or ") + std::to_string(t);
  return "Pairing: strategies are compared only within one workload (same batch, delay_ms, "
         "keepalive, mode - warm vs warm, cold vs cold - and workers). Each benchmark's value is "
         "the mean of its repetition means. Claims follow the sequential rule of "
         "docs/sized-repetitions.md: a first look at " +
         std::to_string(s.first_look) + " repetitions a side, and a later one at " + totals +
         " for a workload the runner extended because it was still inconclusive; the error "
         "rate alpha = " +
         number(claims.rule.alpha) + " is split over the L = " + std::to_string(look_count(s)) +
         " allowed looks. The ratio runner-up / fastest has a Welch t interval at 1 - alpha/L = " +
         confidence_text(claims.rule) +
         ". A workload is a **tie** when the whole interval lies within 1 ± " +
         percent(claims.rule.threshold) +
         " (the equivalence margin of `poolbench-report compare`); the fastest **wins** when the "
         "whole interval lies above 1 + " +
         percent(claims.rule.threshold) +
         " and the two-sided Mann-Whitney U test over repetition means, Holm-corrected across "
         "the " +
         std::to_string(claims.tests) + " workloads, gives p < alpha/L = " + number(look_alpha(s)) +
         "; otherwise it is **inconclusive**. A claim decided at a later look names it and its "
         "repetitions a side.";
}

}  // namespace

void write_claims_markdown(std::ostream& out, const results_claims& claims) {
  out << "## What the results say\n\n"
      << "Computed by `poolbench-report render` from the result files below, never typed. "
      << how_text(claims) << "\n\n";
  if (claims.workloads.empty()) {
    out << "No workload was run by two strategies.\n\n";
  } else {
    out << "| workload | fastest | runner-up | runner-up / fastest ["
        << confidence_text(claims.rule) << " CI] | claim |\n"
        << "| :--- | :--- | :--- | ---: | :--- |\n";
    for (const auto& c : claims.workloads) {
      out << "| " << c.workload << " | " << c.fastest << " | " << c.runner_up << " | "
          << ratio_text(c.estimate) << " | " << claim_text(c, claims.rule) << " |\n";
    }
    out << '\n';
  }
  if (!claims.languages.empty()) {
    out << "C++ against Python (pytest-benchmark file), same strategy, mode, batch, workers and "
           "delay: Python mean / C++ mean, 95% bootstrap interval (Python's rounds are its only "
           "unit: pytest-benchmark has no repetitions).\n\n"
        << "| workload | Python | C++ | Python / C++ [95% CI] |\n| :--- | :--- | :--- | ---: |\n";
    for (const auto& c : claims.languages) {
      out << "| " << c.workload << " | `" << c.python << "` | `" << c.cpp << "` | "
          << factor_text(c.estimate) << " |\n";
    }
    out << '\n';
  }
  for (const auto& line : claims.not_comparable)
    out << line << "\n\n";
  if (!claims.unmatched_python.empty()) {
    out << "Python benchmarks with no C++ run of the same strategy, mode and workers (no factor "
           "given):";
    for (const auto& n : claims.unmatched_python)
      out << " `" << n << "`";
    out << ".\n\n";
  }
  if (!claims.failed.empty()) {
    out << "Left out because a repetition failed:";
    for (const auto& n : claims.failed)
      out << " `" << n << "`";
    out << ".\n\n";
  }
}

void print_summary(std::ostream& out, const std::vector<result_file>& files,
                   const decision_rule& rule) {
  const auto claims = compute_claims(files, rule);
  out << "What the results say (same workload, warm vs warm, cold vs cold, same workers; tie = "
      << confidence_text(rule) << " interval within ±" << percent(rule.threshold) << "):\n";
  std::vector<std::vector<std::string>> rows = {
      {"workload", "fastest", "runner-up", "runner-up/fastest [" + confidence_text(rule) + " CI]",
       "claim"}};
  for (const auto& c : claims.workloads) {
    rows.push_back(
        {c.workload, c.fastest, c.runner_up, ratio_text(c.estimate), claim_text(c, rule)});
  }
  if (claims.workloads.empty()) {
    out << "  no workload was run by two strategies\n";
  } else {
    write_aligned(out, rows, "  ");
  }
  for (const auto& c : claims.languages) {
    out << "  Python/C++ " << c.workload << ": " << factor_text(c.estimate) << '\n';
  }
  for (const auto& line : claims.not_comparable)
    out << line << '\n';
  for (const auto& n : claims.failed)
    out << "  left out, failed: " << n << '\n';
}

}  // namespace poolbench::report
