#include "commands.hpp"

#include <poolbench/report/compare/history.hpp>

#include <iostream>
#include <memory>

namespace poolbench::report_cli {

command add_history(CLI::App& app) {
  struct settings {
    std::vector<std::string> files;
    std::string out = "history", benchmark, fail_above = "5%";
  };
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand(
      "history",
      "Write a trend page (Markdown and one SVG per benchmark) from result files taken in order");
  cmd->add_option("files", s->files, "Result files, oldest first (e.g. one per commit)")
      ->required();
  cmd->add_option("--out", s->out, "Folder for README.md and charts/")->capture_default_str();
  cmd->add_option("--benchmark", s->benchmark,
                  std::string("Regular expression choosing benchmarks (default: \"") +
                      report::default_history_regex + "\", else the first six)");
  cmd->add_option("--fail-above", s->fail_above,
                  "Threshold of the verdict against the previous point, as in compare")
      ->capture_default_str();
  return [cmd, s] {
    if (!*cmd)
      return -1;
    report::history_options options;
    options.out_dir = s->out;
    options.benchmark_regex = s->benchmark;
    options.rule.threshold = parse_percent(s->fail_above, "--fail-above") / 100;
    const auto generated = report::build_history_page(load_inputs(s->files), options);
    report::write_generated(generated);
    std::cerr << "poolbench-report: wrote " << generated.front().path.string() << " and "
              << generated.size() - 1 << " chart(s)\n";
    return 0;
  };
}

}  // namespace poolbench::report_cli
