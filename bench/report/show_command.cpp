#include "commands.hpp"

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/tables/print_table.hpp>

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <set>

namespace poolbench::report_cli {

bool want_colour(const std::string& when) {
  if (when == "always")
    return true;
  if (when == "never")
    return false;
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr &&
         !(term && std::string(term) == "dumb");
}

namespace {

std::string joined(const std::set<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : ", ") + w;
  return out;
}

// --group-by and --baseline name things in the files: a key or strategy
// they do not hold is a typo, not a request for one ungrouped table.
void check_keys(const std::vector<report::result_file>& files,
                const std::vector<std::string>& group_by, const std::string& baseline) {
  std::set<std::string> keys = {"file"}, strategies;
  for (const auto& file : files) {
    for (const auto& b : file.benchmarks) {
      for (const auto& [key, value] : b.params)
        keys.insert(key);
      if (const auto it = b.params.find("strategy"); it != b.params.end())
        strategies.insert(it->second);
    }
  }
  for (const auto& key : group_by) {
    if (!keys.contains(key))
      throw report::usage_error("--group-by " + key +
                                ": no such key in these files (keys: " + joined(keys) + ")");
  }
  if (!baseline.empty() && !strategies.contains(baseline))
    throw report::usage_error(
        "--baseline " + baseline + ": no such strategy in these files (strategies: " +
        (strategies.empty() ? std::string("none, not poolbench results") : joined(strategies)) +
        ")");
}

}  // namespace

command add_show(CLI::App& app) {
  struct settings {
    std::vector<std::string> files;
    std::string format = "term", columns, sort = "min", group_by, colour = "auto";
    std::size_t width = 0;
    bool wide = false;
    double slo_ms = 0;
    std::string baseline;
  };
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand("show", "Show pytest-benchmark-style tables of result files");
  cmd->add_option("files", s->files, "Result files (Google Benchmark or pytest-benchmark JSON)")
      ->required();
  cmd->add_option("--format", s->format, "term, md, csv or json")->capture_default_str();
  cmd->add_option("--columns", s->columns,
                  "Comma-separated: min,max,mean,stddev,median,iqr,outliers,ops,rounds; shown "
                  "even when wider than the terminal");
  cmd->add_flag("--wide", s->wide,
                "Every column however wide, laid out as pytest-benchmark does (by default, term "
                "tables drop Outliers, OPS, IQR, then Max, ... to fit the width)");
  cmd->add_option("--width", s->width,
                  "The width term tables fit (default: $COLUMNS, the terminal's width, or 120)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--sort", s->sort, "Column to sort by, or name")->capture_default_str();
  cmd->add_option("--group-by", s->group_by,
                  "Comma-separated keys, one table per value: batch, workers, delay_ms, strategy, "
                  "mode, keepalive, file, group, ...");
  cmd->add_option("--baseline", s->baseline,
                  "A strategy whose row is the (1.0) of the ratios, e.g. floor (the least a "
                  "client can do); default: the best value of each column");
  cmd->add_option("--slo-ms", s->slo_ms,
                  "Open-loop files: the SLO on p99 for each pool's saturation point (default: "
                  "10x the server delay, or 5 ms without delay)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--colour,--color", s->colour, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  return [cmd, s] {
    if (!*cmd)
      return -1;
    report::show_options options;
    options.format = report::parse_output_format(s->format);
    if (!s->columns.empty()) {
      options.columns = report::parse_columns(s->columns);
      options.drop_columns = false;
    }
    options.width = s->width;
    options.wide = s->wide;
    options.sort = s->sort;
    options.baseline = s->baseline;
    options.group_by = report::parse_group_by(s->group_by);
    options.colour = want_colour(s->colour);
    if (s->slo_ms > 0)
      options.slo_s = s->slo_ms / 1000;
    const auto files = load_inputs(s->files);
    check_keys(files, options.group_by, options.baseline);
    report::print_results(std::cout, files, options);
    return 0;
  };
}

}  // namespace poolbench::report_cli
