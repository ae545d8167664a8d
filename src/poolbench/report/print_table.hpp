#pragma once

#include <poolbench/report/result.hpp>
#include <poolbench/report/table.hpp>
#include <poolbench/report/table_format.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

// Everything `poolbench-report show` does, as one call: load the result
// files, group and sort their benchmarks, and write the tables.
struct show_options {
  output_format format = output_format::term;
  bool colour = false;  // ANSI colours (term only); pass isatty(1) for stdout
  std::vector<column> columns = default_columns();
  std::string sort = "min";
  std::string baseline;               // a strategy whose row is the (1.0), e.g. "floor"
  std::vector<std::string> group_by;  // e.g. {"batch", "delay_ms"}
  // Term only: the width the tables must fit, dropping the least important
  // columns (see render_options); 0 means terminal_width().
  std::size_t width = 0;
  bool wide = false;         // every column, no width limit (--wide)
  bool drop_columns = true;  // false: keep the columns asked for (--columns)
};

// $COLUMNS when it is a positive number, else the width of the terminal on
// stdout, else 120.
[[nodiscard]] std::size_t terminal_width();

// The pytest-benchmark-style table of the given result files (Google
// Benchmark JSON, with or without poolbench's samples, or pytest-benchmark
// JSON). Throws input_error ("<file>: <problem>") for a file that cannot be
// used and usage_error for bad options; writes nothing in that case.
void print_table(std::ostream& out, const std::vector<std::string>& files,
                 const show_options& options = {});
// The same for results already loaded (or built in memory by the runner).
void print_table(std::ostream& out, const std::vector<result_file>& results,
                 const show_options& options = {});

}  // namespace poolbench::report
