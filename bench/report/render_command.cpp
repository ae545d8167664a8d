#include "commands.hpp"

#include <poolbench/report/page/results_page.hpp>
#include <poolbench/report/page/stale_charts.hpp>
#include <poolbench/report/tables/table.hpp>

#include <poolbench/report/input/errors.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace poolbench::report_cli {

namespace {

// --out DIR/ or an existing directory: the page is DIR/README.md and its
// charts DIR/charts/, rather than a file named DIR with charts/ beside it.
std::string page_path(const std::string& out) {
  std::error_code ec;
  if (!out.empty() && (out.back() == '/' || std::filesystem::is_directory(out, ec)))
    return (std::filesystem::path(out) / "README.md").lexically_normal().string();
  return out;
}

}  // namespace

command add_render(CLI::App& app) {
  struct settings {
    std::vector<std::string> files;
    std::string out = "results/README.md", group_by = "batch,delay_ms,keepalive", fail_above = "5%";
    bool check = false, force = false;
    double slo_ms = 0;
    std::string baseline;
    std::string cross_matrix;
    std::string readme;
  };
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand(
      "render", "Regenerate the results page (Markdown tables and SVG charts) from result files");
  cmd->add_option("files", s->files, "Result files, in the order the page lists them")->required();
  cmd->add_option("--out", s->out,
                  "The page to write; charts go to charts/ beside it. A directory (DIR/, or "
                  "one that exists): the page is DIR/README.md, the charts DIR/charts/")
      ->capture_default_str();
  cmd->add_option("--group-by", s->group_by, "One table and chart per value of these keys")
      ->capture_default_str();
  auto* margin = cmd->add_option(
      "--fail-above,--margin", s->fail_above,
      "Equivalence margin of the claims: a tie when the interval of runner-up / fastest lies "
      "within 1 +- this. Default: the margin the file's runner recorded "
      "(context.sequential), else 5%; given, it replaces the recorded one and the page says so");
  cmd->add_option("--baseline", s->baseline,
                  "A strategy whose row is the (1.0) of each table's ratios, e.g. floor");
  cmd->add_option("--slo-ms", s->slo_ms,
                  "Open-loop SLO on p99 for the saturation points (default: 10x the server "
                  "delay, or 5 ms without delay)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--cross-matrix", s->cross_matrix,
                  "A cross matrix page (scripts/reference/cross-matrix) to show as a section");
  cmd->add_option("--readme", s->readme,
                  "The project's README: its answer block (between the poolbench:results-summary "
                  "markers) is generated too, and --check covers it");
  cmd->add_flag("--force", s->force,
                "Replace the page even when it was made from other result files");
  cmd->add_flag("--check", s->check,
                "Write nothing; exit 1 when the page or a chart differs from what the files give");
  return [cmd, s, margin] {
    if (!*cmd)
      return -1;
    s->out = page_path(s->out);
    report::page_options options;
    options.out = s->out;
    options.group_by = report::parse_group_by(s->group_by);
    if (margin->count() > 0)
      options.rule.threshold = parse_percent(s->fail_above, "--fail-above") / 100;
    options.baseline = s->baseline;
    options.readme = s->readme;
    if (s->slo_ms > 0)
      options.slo_s = s->slo_ms / 1000;
    if (!s->cross_matrix.empty()) {
      std::ifstream in(s->cross_matrix, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      if (!in || text.str().empty())
        throw report::input_error(s->cross_matrix + ": cannot read the cross matrix page");
      options.cross_matrix_file = s->cross_matrix;
      options.cross_matrix = text.str();
    }
    const auto files = load_inputs(s->files);
    if (!s->check && !s->force) {
      // The default --out is the published page: a render of one's own
      // files from the repository root must not silently replace it.
      if (const auto problem = report::overwrite_problem(s->out, files); !problem.empty()) {
        throw report::usage_error(problem + "; pass --force to replace it, or choose --out");
      }
    }
    const auto generated = report::build_results_page(files, options);
    if (!s->check) {
      report::write_generated(generated);
      const auto removed = report::remove_orphaned_charts(generated, options);
      std::cerr << "poolbench-report: wrote " << s->out << " and " << generated.size() - 1
                << " chart(s)";
      if (!removed.empty())
        std::cerr << ", removed " << removed.size() << " stale chart(s) the page no longer links";
      std::cerr << '\n';
      return 0;
    }
    // Out of date: a file whose content differs, and a chart of ours that
    // this render would remove.
    auto stale = report::stale_files(generated);
    for (auto& orphan : report::orphaned_charts(generated, options))
      stale.push_back(std::move(orphan));
    if (stale.empty()) {
      std::cout << s->out << " is up to date\n";
      return 0;
    }
    std::cerr << "poolbench-report: stale:";
    for (const auto& p : stale)
      std::cerr << ' ' << p.string();
    std::cerr << " (regenerate with: poolbench-report render --out " << s->out << " ...)\n";
    return 1;
  };
}

}  // namespace poolbench::report_cli
