#include "commands.hpp"

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/charts/workload_family.hpp>
#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/open_loop/open_loop.hpp>
#include <poolbench/report/page/results_page.hpp>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>

namespace poolbench::report_cli {

namespace {

struct plot_settings {
  std::vector<std::string> files;
  std::string out, kind = "mean", title;
};

// Open-loop runs have no time per round to plot: their latency against the
// offered rate, one workload per chart, or a clear refusal.
void write_open_loop_plot(const std::vector<report::result_file>& files,
                          const std::vector<report::benchmark_result>& open,
                          const plot_settings& s) {
  for (const auto& f : files) {
    const auto n = report::open_loop_rows({f}).size();
    if (n == 0)
      throw report::usage_error("open-loop and closed-loop files cannot share a chart (" + f.path +
                                " is closed-loop): plot them apart");
    if (n != f.benchmarks.size())
      throw report::usage_error(f.path + " mixes open-loop and closed-loop runs: plot them apart");
  }
  if (s.kind != "mean")
    throw report::usage_error("--kind " + s.kind +
                              " has no meaning for open-loop runs: they plot latency against "
                              "offered rate");
  std::set<report::open_loop_key> workloads;
  for (const auto& r : open)
    workloads.insert(report::open_loop_key_of(r));
  if (workloads.size() > 1) {
    std::string names;
    for (const auto& w : workloads)
      names += (names.empty() ? "" : "; ") + report::open_loop_workload(w);
    throw report::usage_error("open-loop runs of " + std::to_string(workloads.size()) +
                              " workloads (" + names +
                              "): one chart shows one workload; render draws one each");
  }
  const auto& any = open.front();
  const double slo = report::default_slo_s(any.workload ? any.workload->delay_ms : 0);
  const std::string title = !s.title.empty()
                                ? s.title
                                : "Open loop, " + report::open_loop_workload(*workloads.begin()) +
                                      ": latency vs offered rate";
  report::write_generated({{s.out, report::open_loop_chart_svg(open, slo, title)}});
}

}  // namespace

command add_plot(CLI::App& app) {
  using settings = plot_settings;
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand("plot", "Write an SVG chart of every benchmark in the files");
  cmd->add_option("files", s->files, "Result files")->required();
  cmd->add_option("--out", s->out, "The SVG file to write")->required();
  cmd->add_option("--kind", s->kind,
                  "mean: time per round per benchmark (median, quartile box, 95% interval of the "
                  "mean over repetitions); workers: mean time vs workers, one panel per workload "
                  "family, log-log; cpu: client CPU per request vs workers; memory: the pool's "
                  "own memory (pool_pss_mib; the whole process's peak_pss_mib for files "
                  "without it) vs workers. "
                  "Open-loop files: p99 and p50 latency vs offered rate, one workload")
      ->check(CLI::IsMember({"mean", "workers", "cpu", "memory"}))
      ->capture_default_str();
  cmd->add_option("--title", s->title, "Chart title");
  return [cmd, s] {
    if (!*cmd)
      return -1;
    const auto files = load_inputs(s->files);
    if (const auto open = report::open_loop_rows(files); !open.empty()) {
      write_open_loop_plot(files, open, *s);
      return 0;
    }
    // In file order; a name in several files is told apart as `show` does
    // it, by the file's name: "serial/warm/... (base)".
    std::vector<report::benchmark_result> rows;
    for (const auto& f : files)
      rows.insert(rows.end(), f.benchmarks.begin(), f.benchmarks.end());
    const auto labels = report::file_distinct_labels(rows);
    const std::map<std::string, std::pair<report::workers_metric, const char*>> against = {
        {"workers", {report::workers_metric::time, "Mean time per round vs workers"}},
        {"cpu", {report::workers_metric::client_cpu, "Client CPU per request vs workers"}},
        {"memory", {report::workers_metric::memory, "Memory vs workers"}}};
    const auto kind = against.find(s->kind);
    const std::string title =
        !s->title.empty() ? s->title
                          : (kind != against.end() ? kind->second.second : "Time per round");
    const std::string svg = kind != against.end()
                                ? report::workers_chart(rows, title, labels, kind->second.first)
                                : report::whisker_chart(rows, title, labels);
    if (svg.empty())
      throw report::usage_error(
          "no benchmarks in the files differ only in their workers parameter" +
          std::string(s->kind == "workers" ? "" : " and have the " + s->kind + " counter") +
          ": nothing to plot against workers");
    report::write_generated({{s->out, svg}});
    return 0;
  };
}

}  // namespace poolbench::report_cli
