#include "commands.hpp"

#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/input/errors.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>

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
    std::string base, candidate, fail_above = "5%", metric = "time";
    double alpha = 0.05;
  };
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand(
      "compare",
      "Compare two result files benchmark by benchmark (open-loop runs on latency); exit 1 when "
      "one is slower or failed in the new file, or when no benchmark is in both");
  cmd->add_option("base", s->base, "The old result file")->required();
  cmd->add_option("new", s->candidate, "The new result file")->required();
  cmd->add_option("--fail-above", s->fail_above,
                  "Threshold: `slower` needs the whole 95% interval of new/old above 1 + this, "
                  "`same` needs it within 1 +- this")
      ->capture_default_str();
  cmd->add_option("--metric", s->metric,
                  "What to gate on: time (round time, over the repetition means), cpu (client CPU "
                  "per request: client_cpu_us_per_request of each repetition) or memory (peak PSS: "
                  "peak_pss_mib of each repetition); same test, interval and verdicts, `higher` "
                  "for a cost that grew. Exit 2 when a file lacks the counter")
      ->check(CLI::IsMember({"time", "cpu", "memory"}))
      ->capture_default_str();
  cmd->add_option("--alpha", s->alpha,
                  "Family-wise significance level of the Holm-corrected U tests")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  return [cmd, s] {
    if (!*cmd)
      return -1;
    report::decision_rule rule;
    rule.alpha = s->alpha;
    rule.threshold = parse_percent(s->fail_above, "--fail-above") / 100;
    const auto files = load_inputs({s->base, s->candidate});
    const auto metric = report::parse_compare_metric(s->metric);
    const auto result = report::compare_results(files[0], files[1], rule, metric);
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
