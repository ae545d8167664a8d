#include <poolbench/report/compare/gate.hpp>
#include <poolbench/report/formatted.hpp>

#include <algorithm>

namespace poolbench::report {
namespace {

std::string margin_text(const comparison_report& report) {
  return formatted("+%g%%", report.rule.threshold * 100);
}

std::string count_text(std::size_t n, const char* what) {
  return std::to_string(n) + ' ' + what + (n == 1 ? "" : "s");
}

}  // namespace

gate_decision decide_gate(const comparison_report& report, const gate_options& options) {
  gate_decision d;
  const auto refuse = [&](std::string reason) {
    d.outcome = gate_outcome::refused;
    d.reasons = {std::move(reason)};
    return d;
  };
  // Normalising by the floor does not make other machines comparable: on the
  // repository's one such pair it turned 83 `faster` into 42 `slower`
  // (docs/reading-results.md), so it is no licence to gate.
  if (machines_differ(report.differences) && !options.allow_other_machine) {
    const auto& first = *std::find_if(report.differences.begin(), report.differences.end(),
                                      [](const file_difference& x) { return x.machine; });
    return refuse("not comparable: the files come from different machines (" + first.label + ": " +
                  first.base + " -> " + first.candidate +
                  "); gate runs of one machine, or give --allow-other-machine to gate them anyway");
  }
  const auto judgeable_latency =
      std::any_of(report.latency.begin(), report.latency.end(),
                  [](const latency_comparison& c) { return c.result != verdict::failed; });
  const auto judgeable_common = std::count_if(
      report.common.begin(), report.common.end(),
      [](const comparison& c) { return c.result != verdict::failed && !c.not_judgeable(); });
  const auto failed_in_new = [](const auto& c) { return c.failed_in_candidate; };
  const bool any_failed_in_new =
      std::any_of(report.common.begin(), report.common.end(), failed_in_new) ||
      std::any_of(report.latency.begin(), report.latency.end(), failed_in_new);
  if (!report.empty() && judgeable_common == 0 && !judgeable_latency && !any_failed_in_new) {
    std::string why;
    for (const auto& c : report.common) {
      if (!c.why_inconclusive.empty()) {
        why = ": " + c.why_inconclusive;
        break;
      }
    }
    return refuse("nothing to judge: no benchmark has values in both files" + why);
  }
  const auto few = std::find_if(report.common.begin(), report.common.end(),
                                [](const comparison& c) { return c.test_cannot_reject; });
  if (few != report.common.end()) {
    const auto n = static_cast<std::size_t>(
        std::count_if(report.common.begin(), report.common.end(),
                      [](const comparison& c) { return c.test_cannot_reject; }));
    // Built by concatenation: a benchmark's name has no length limit.
    const std::string alpha = formatted("%g", report.rule.alpha);
    const auto& unit = report.value_unit;
    return refuse(
        "too few " + unit + ": " + few->name + " has " + std::to_string(few->estimate.base_values) +
        " and " + std::to_string(few->estimate.candidate_values) +
        (n > 1 ? " (and " + count_text(n - 1, "other") + ")" : std::string()) +
        ", so its U test can never reach alpha " + alpha + " after the Holm correction over the " +
        count_text(std::max<std::size_t>(report.tests, 1), "benchmark") +
        " tested here; this comparison needs " + std::to_string(report.values_needed) + "+ " +
        unit + " a side");
  }
  std::size_t slower = 0, broken = 0, unconfirmed = 0, blank = 0;
  for (const auto& c : report.common) {
    slower += c.result == verdict::slower ? 1 : 0;
    broken += c.failed_in_candidate ? 1 : 0;
    unconfirmed += c.unconfirmed_side > 0 ? 1 : 0;
    blank += c.not_judgeable() ? 1 : 0;
  }
  for (const auto& c : report.latency) {
    slower += c.result == verdict::slower ? 1 : 0;
    broken += c.failed_in_candidate ? 1 : 0;
  }
  if (slower > 0)
    d.reasons.push_back(count_text(slower, "benchmark") + " " +
                        verdict_text(verdict::slower, report.metric) + " beyond " +
                        margin_text(report));
  if (broken > 0)
    d.reasons.push_back(count_text(broken, "benchmark") + " failed in the new file");
  if (unconfirmed > 0 && !options.allow_inconclusive) {
    d.reasons.push_back(count_text(unconfirmed, "benchmark") +
                        " inconclusive with the whole interval above " + margin_text(report) +
                        " (a slowdown the test does not confirm; --allow-inconclusive passes it)");
  }
  if (blank > 0 && !options.allow_inconclusive) {
    d.reasons.push_back(count_text(blank, "benchmark") +
                        " without values to judge in one file (--allow-inconclusive passes it)");
  }
  if (!d.reasons.empty())
    d.outcome = gate_outcome::fail;
  return d;
}

}  // namespace poolbench::report
