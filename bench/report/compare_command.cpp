#include "commands.hpp"

#include <poolbench/report/compare.hpp>
#include <poolbench/report/errors.hpp>
#include <poolbench/report/load.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

namespace poolbench::report_cli {
namespace {

namespace report = poolbench::report;

// "5%", "5" or "2.5 %" → 5, 5, 2.5.
double parse_percent(std::string text) {
  while (!text.empty() && (text.back() == '%' || text.back() == ' '))
    text.pop_back();
  std::size_t used = 0;
  double value = NAN;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || !(value >= 0)) {
    throw report::usage_error("--fail-above wants a percentage such as 5% , got \"" + text + "\"");
  }
  return value;
}

}  // namespace

command add_compare(CLI::App& app) {
  struct settings {
    std::string base, candidate, fail_above;
    double alpha = 0.05;
  };
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand("compare", "Compare two result files benchmark by benchmark");
  cmd->add_option("base", s->base, "The old result file")->required();
  cmd->add_option("new", s->candidate, "The new result file")->required();
  cmd->add_option("--fail-above", s->fail_above,
                  "Exit 1 when a benchmark is significantly slower by more than this, e.g. 5%");
  cmd->add_option("--alpha", s->alpha, "Significance level of the U test")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  return [cmd, s] {
    if (!*cmd)
      return -1;
    const double threshold = s->fail_above.empty() ? NAN : parse_percent(s->fail_above);
    const auto base = report::load_result_file(s->base);
    const auto candidate = report::load_result_file(s->candidate);
    const auto result = report::compare_results(base, candidate, s->alpha);
    report::write_comparison(std::cout, result);
    if (std::isnan(threshold))
      return 0;
    const auto slower = report::regressions(result, threshold);
    for (const auto* c : slower) {
      char line[96];
      std::snprintf(line, sizeof line, "is %.2f%% slower (p = %.3g)", c->mean_change * 100,
                    *c->p_value);
      std::cerr << "poolbench-report: regression: " << c->name << ' ' << line << '\n';
    }
    if (!slower.empty()) {
      std::cerr << "poolbench-report: " << slower.size() << " benchmark(s) slower by more than "
                << threshold << "%\n";
      return 1;
    }
    return 0;
  };
}

}  // namespace poolbench::report_cli
