#include "commands.hpp"

#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/compare/gate.hpp>
#include <poolbench/report/input/errors.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>

namespace poolbench::report_cli {

double parse_percent(std::string text, const std::string& option) {
  while (!text.empty() && (text.back() == '%' || text.back() == ' '))
    text.pop_back();
  std::size_t used = 0;
  double value = NAN;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || !(value >= 0 && value < 100)) {
    throw report::usage_error(option + " wants a percentage below 100 such as 5%, got \"" + text +
                              "\"");
  }
  return value;
}

command add_compare(CLI::App& app) {
  struct settings {
    std::string base, candidate, fail_above = "5%", metric = "time", normalize = "none";
    double alpha = 0.05;
    bool allow_inconclusive = false, allow_other_machine = false;
  };
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand(
      "compare",
      "Compare two result files benchmark by benchmark (open-loop runs on latency); exit 1 when "
      "one is slower or failed in the new file, or when no benchmark is in both. With "
      "--fail-above it is a CI gate that never passes on what it could not decide "
      "(docs/reading-results.md, \"Using compare as a CI gate\"): exit 2 when the files "
      "cannot answer (too few repetitions, nothing to judge, other machines), exit 1 also "
      "for an inconclusive benchmark whose whole interval lies above the margin");
  cmd->add_option("base", s->base, "The old result file")->required();
  cmd->add_option("new", s->candidate, "The new result file")->required();
  auto* fail_above =
      cmd->add_option("--fail-above", s->fail_above,
                      "Threshold: `slower` needs the whole 95% interval of new/old above 1 + "
                      "this, `same` needs it within 1 +- this. Given, compare is a CI gate: it "
                      "refuses (exit 2) files whose repetitions are too few for the U test ever "
                      "to reject after the Holm correction (saying how many this comparison "
                      "needs), a comparison where no benchmark has values to judge, and files "
                      "of different machines; it fails (exit 1) on a slower benchmark, one "
                      "failed in the new file, and one inconclusive with its whole interval "
                      "above the margin")
          ->capture_default_str();
  cmd->add_flag("--allow-inconclusive", s->allow_inconclusive,
                "With --fail-above: let an inconclusive benchmark whose whole interval lies "
                "above the margin, or one without values in a file, pass the gate");
  cmd->add_flag("--allow-other-machine", s->allow_other_machine,
                "With --fail-above: gate files of different machines (CPU model, MHz, CPUs or "
                "kernel differ) instead of refusing them, raw or --normalize floor (neither "
                "cancels the machine: docs/reading-results.md)");
  cmd->add_option("--normalize", s->normalize,
                  "none, or floor: divide each benchmark's times by its own run's floor of the "
                  "same workload (floor/batch:N/delay_ms:N, measured in every default run) "
                  "before comparing, so a uniformly faster or slower machine cancels; floors "
                  "and benchmarks without one are listed, not compared. Time only")
      ->check(CLI::IsMember({"none", "floor"}))
      ->capture_default_str();
  cmd->add_option(
         "--metric", s->metric,
         "What to gate on: time (round time, over the repetition means), cpu (client CPU "
         "per request: client_cpu_us_per_request of each repetition), memory (the pool's own "
         "memory, as the claims: pool_pss_mib of each repetition) or process-memory "
         "(the whole process's peak PSS, peak_pss_mib: files from before pool_pss_mib "
         "have only this); same test, interval and verdicts, `higher` for a cost that "
         "grew. Exit 2 when a file lacks the counter")
      ->check(CLI::IsMember({"time", "cpu", "memory", "process-memory"}))
      ->capture_default_str();
  cmd->add_option("--alpha", s->alpha,
                  "Family-wise significance level of the Holm-corrected U tests")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  return [cmd, s, fail_above] {
    if (!*cmd)
      return -1;
    report::decision_rule rule;
    rule.alpha = s->alpha;
    rule.threshold = parse_percent(s->fail_above, "--fail-above") / 100;
    const auto files = load_inputs({s->base, s->candidate});
    const auto metric = report::parse_compare_metric(s->metric);
    const bool gate = fail_above->count() > 0;
    if (!gate && (s->allow_inconclusive || s->allow_other_machine))
      throw report::usage_error(
          "--allow-inconclusive and --allow-other-machine apply to a gate: give --fail-above");
    const auto result = report::compare_results(
        files[0], files[1], rule, metric,
        s->normalize == "floor" ? report::normalization::floor : report::normalization::none);
    std::optional<report::gate_decision> decision;
    if (gate) {
      decision = report::decide_gate(result, {s->allow_inconclusive, s->allow_other_machine});
      if (decision->outcome == report::gate_outcome::refused) {
        // Refused up front: no table, whose verdicts the gate could not stand by.
        std::cerr << "poolbench-report: " << decision->reasons.front() << '\n';
        return 2;
      }
    }
    report::write_comparison(std::cout, result);
    if (result.empty()) {
      // A rename or a filter must not let a gate pass on nothing.
      std::cerr << "poolbench-report: nothing compared: no benchmark name is in both files ("
                << files[0].benchmarks.size() << " in " << s->base << ", "
                << files[1].benchmarks.size() << " in " << s->candidate << ")\n";
      return 1;
    }
    for (const auto& c : result.common) {
      if (c.result == report::verdict::slower) {
        std::cerr << "poolbench-report: regression"
                  << (metric == report::compare_metric::time ? std::string()
                                                             : std::string(" in ") + s->metric)
                  << ": " << c.name << " new/old " << report::ratio_text(c.estimate) << '\n';
      } else if (c.failed_in_candidate) {
        std::cerr << "poolbench-report: " << c.name << " " << c.failure << '\n';
      }
    }
    std::size_t failed_in_new = 0;
    for (const auto& c : result.latency) {
      if (c.result == report::verdict::slower) {
        std::cerr << "poolbench-report: latency regression: " << c.name << " p99 new/old "
                  << c.p99_ratio << '\n';
      } else if (c.failed_in_candidate) {
        std::cerr << "poolbench-report: " << c.name << " " << c.failure << '\n';
      }
      failed_in_new += c.failed_in_candidate ? 1 : 0;
    }
    if (decision) {
      if (decision->outcome == report::gate_outcome::pass)
        return 0;
      for (const auto& reason : decision->reasons)
        std::cerr << "poolbench-report: gate failed: " << reason << '\n';
      return 1;
    }
    if (!result.gate_fails())
      return 0;
    const auto n = result.counts();
    std::cerr << "poolbench-report: " << n[report::verdict::slower] << ' '
              << report::verdict_text(report::verdict::slower, metric) << " beyond "
              << s->fail_above << ", "
              << failed_in_new +
                     static_cast<std::size_t>(std::count_if(
                         result.common.begin(), result.common.end(),
                         [](const report::comparison& c) { return c.failed_in_candidate; }))
              << " failed in the new file\n";
    return 1;
  };
}

}  // namespace poolbench::report_cli
