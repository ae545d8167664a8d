// poolbench-report: tables, comparisons, charts and the results page from
// Google Benchmark and pytest-benchmark JSON.
//
//   poolbench-report show results/latest.json results/python-reference.json
//   poolbench-report compare --fail-above 5% base.json new.json
//   poolbench-report render --out results/README.md results/*.json [--check]
//   poolbench-report plot --out chart.svg results/latest.json
//   poolbench-report history --out history/ a.json b.json c.json
//   poolbench-report merge all-hosts.json host-a.json host-b.json
//
// Exit codes: 0 ok, 1 a failed check (regression, stale page), 2 bad usage or
// unreadable input.

#include "commands.hpp"

#include <poolbench/cli/program.hpp>
#include <poolbench/report/input/errors.hpp>

#include <iostream>

namespace report = poolbench::report;
namespace cli = poolbench::report_cli;

int main(int argc, char** argv) {
  CLI::App app{"poolbench-report: tables, comparisons and charts of benchmark results"};
  app.require_subcommand(1);
  const std::vector<cli::command> commands = {cli::add_show(app),    cli::add_compare(app),
                                              cli::add_render(app),  cli::add_plot(app),
                                              cli::add_history(app), cli::add_merge(app)};
  const poolbench::cli::program program{
      "poolbench-report",
      "Exit codes: 0 ok; 1 a failed check (a regression, a stale page, nothing compared); 2 bad "
      "usage or unreadable input."};
  poolbench::cli::set_up(app, program);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return poolbench::cli::handle_parse_error(app, e, program);
  }
  try {
    for (const auto& run : commands) {
      if (const int code = run(); code >= 0)
        return code;
    }
    return 2;
  } catch (const report::input_error& e) {
    std::cerr << "poolbench-report: " << e.what() << '\n';
    return 2;
  } catch (const report::usage_error& e) {
    std::cerr << "poolbench-report: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "poolbench-report: " << e.what() << '\n';
    return 2;
  }
}
