#pragma once

#include <poolbench/report/input/recorded_rule.hpp>
#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>
#include <poolbench/report/tables/table.hpp>
#include <poolbench/report/tables/table_format.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

// What `poolbench-report show` (and a runner's end-of-run output) shows: the
// writers' settings (format, colour, columns, sort, baseline, drop_columns)
// plus how rows are grouped. Unlike a writer's, `width` 0 here means the
// terminal's width (cli::terminal_width, else fallback_width); `wide` lifts
// every limit.
struct show_options : render_options {
  std::vector<std::string> group_by;  // e.g. {"batch", "delay_ms"}
  bool wide = false;                  // every column, no width limit (--wide)
  // Open-loop runs: the SLO on p99 for each pool's saturation point
  // (default: 10x the server delay, or 5 ms without delay).
  std::optional<double> slo_s;
  // The claims after the tables ("What the results say"): tie margin and
  // significance level when given, over the rule the files record
  // (recorded_rule.hpp).
  rule_choice rule;
};

// The width of tables sent to a pipe or a file, which has no width of its
// own: wider than help text's 80, as the tables have many columns.
inline constexpr std::size_t fallback_width = 120;

// The one code path of `show` and a runner's end of run (render builds the
// page's tables itself, results_page.hpp), on files already loaded: for term and md, one provenance
// line per file; the closed-loop tables (pytest-benchmark's layout); then the open-loop tables with
// each pool's saturation point; then, when two strategies ran a workload, what the results say
// (summary.hpp); last, each executor zoo file (zoo.hpp) under its own title, with what it found,
// its tables and its claims, never pooled with the other files' rows. csv and json hold every row.
// Throws usage_error for bad options (an unknown sort key); writes nothing in that case.
void print_results(std::ostream& out, const std::vector<result_file>& files,
                   const show_options& options);

// The tables alone (no provenance lines, open-loop runs as timings): the
// pytest-benchmark-style table of the files' benchmarks.
void print_table(std::ostream& out, const std::vector<result_file>& files,
                 const show_options& options = {});

}  // namespace poolbench::report
