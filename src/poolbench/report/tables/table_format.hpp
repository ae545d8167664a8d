#pragma once

#include <poolbench/report/tables/aligned_text.hpp>
#include <poolbench/report/tables/layout.hpp>
#include <poolbench/report/tables/table.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

enum class output_format { term, md, csv, json };

// "term", "md" (or "markdown"), "csv", "json"; throws usage_error otherwise.
[[nodiscard]] output_format parse_output_format(std::string_view name);

struct render_options {
  output_format format = output_format::term;
  bool colour = false;  // ANSI colour, term only: the caller decides (a tty)
  std::vector<column> columns = default_columns();
  std::string sort = "min";
  std::string baseline;  // a strategy whose row is the (1.0) of the ratios, e.g. "floor"
  // Term only: the width to fit (a terminal's). While a table is wider, its
  // least important columns go first (Outliers, OPS, IQR, Max, StdDev,
  // Rounds, Median, Min); the legend is wrapped. 0: no limit, which gives
  // pytest-benchmark's layout exactly.
  std::size_t width = 0;
  bool drop_columns = true;  // false: every column asked for, however wide
};

// Writes the tables in the chosen format.
void write_tables(std::ostream& out, const std::vector<table>& tables,
                  const render_options& options);

// The writers (term_format.cpp, markdown_format.cpp, machine_formats.cpp):
// csv and json are one document in two encodings.
void write_term(std::ostream& out, const std::vector<table>& tables, const render_options& options);
void write_markdown(std::ostream& out, const std::vector<table>& tables,
                    const render_options& options);
void write_machine_readable(std::ostream& out, const std::vector<table>& tables,
                            const render_options& options);

// Just the Markdown table of one group (header, alignment row, rows): the
// results page composes these under its own headings.
void write_markdown_table(std::ostream& out, const laid_out_table& t);

// A table under a group's time table (costs, latency), if it has one: its
// bold title and caption, the table, a blank line.
void write_captioned_markdown(std::ostream& out, const std::optional<laid_out_table>& t);

// One table in the terminal layout (term_format.cpp): `width` 0 gives
// pytest-benchmark's layout exactly; failures are cut to fit `width`.
void write_term_table(std::ostream& out, const laid_out_table& t, bool colour, std::size_t width);

// The width write_term_table gives `t` when it has to fit a limit (its
// header and rules; rows never exceed it but for failures, which are cut).
[[nodiscard]] std::size_t term_table_width(const laid_out_table& t);

// The legend line on what the tables' load was: the closed-loop caveat for
// poolbench's and pytest-benchmark's rows; for tables of plain Google
// Benchmark files only, what their statistics are over instead (such a file
// records no load model, so nothing is said about workers).
[[nodiscard]] std::string load_model_legend(const std::vector<table>& tables);

// What the ratios of the time tables are relative to, one legend item:
// with `baseline` (e.g. "floor") that strategy's row at the same workers
// (layout.hpp), else the best of each column.
[[nodiscard]] std::string ratio_legend(const std::string& baseline);
// Whether any of `tables` has poolbench ratios (a table of two rows or more
// with a workload): only then is there a reference to name. Other files'
// tables keep pytest-benchmark's legend as it is (ratios to the best).
[[nodiscard]] bool any_ratios(const std::vector<table>& tables);

// pytest-benchmark's legend lines, without markup.
[[nodiscard]] const char* outliers_legend() noexcept;
[[nodiscard]] const char* ops_legend() noexcept;

}  // namespace poolbench::report
