#include "commands.hpp"

#include <poolbench/report/errors.hpp>
#include <poolbench/report/load.hpp>
#include <poolbench/report/results_page.hpp>
#include <poolbench/report/svg_chart.hpp>

#include <iostream>
#include <memory>

namespace poolbench::report_cli {

namespace report = poolbench::report;

command add_plot(CLI::App& app) {
  struct settings {
    std::vector<std::string> files;
    std::string out, kind = "mean", title;
  };
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand("plot", "Write an SVG chart of every benchmark in the files");
  cmd->add_option("files", s->files, "Result files")->required();
  cmd->add_option("--out", s->out, "The SVG file to write")->required();
  cmd->add_option("--kind", s->kind,
                  "mean: time per round per benchmark (median, quartile box, 95% interval of the "
                  "mean over repetitions); workers: mean time vs workers per strategy, log-log")
      ->check(CLI::IsMember({"mean", "workers"}))
      ->capture_default_str();
  cmd->add_option("--title", s->title, "Chart title");
  return [cmd, s] {
    if (!*cmd)
      return -1;
    std::vector<report::benchmark_result> rows;
    for (const auto& f : report::load_result_files(s->files)) {
      rows.insert(rows.end(), f.benchmarks.begin(), f.benchmarks.end());
    }
    const bool workers = s->kind == "workers";
    const std::string title = !s->title.empty()
                                  ? s->title
                                  : (workers ? "Mean time per round vs workers" : "Time per round");
    const std::string svg =
        workers ? report::workers_chart(rows, title) : report::whisker_chart(rows, title);
    if (svg.empty())
      throw report::usage_error(
          "no benchmarks in the files differ only in their workers parameter: nothing to plot "
          "against workers");
    report::write_generated({{s->out, svg}});
    return 0;
  };
}

}  // namespace poolbench::report_cli
