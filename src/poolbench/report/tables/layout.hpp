#pragma once

#include <poolbench/report/tables/table.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace poolbench::report {

// A table with every cell formatted as pytest-benchmark formats it: one
// time unit for the whole table, ratios to the best value of each column.
// Shared by the terminal and Markdown renderers.
struct laid_out_cell {
  std::string text;   // "9.0464", "2;1", "13"
  std::string ratio;  // "(1.0)", "(2.58)", or "" for columns without ratios
  bool best = false;  // the best value of a column of several rows
  bool worst = false;
};

struct laid_out_table {
  std::string group;
  // The terminal's heading line; "" gives pytest-benchmark's
  // " benchmark '<group>': N tests ".
  std::string title;
  std::string time_unit;            // "ms": what every time column is in
  std::vector<std::string> labels;  // "Name (time in ms)", "Min", ...
  std::vector<column> columns;      // empty for tables of other columns (open loop)
  // Per column after the name: whether its cells carry a ratio, so the
  // writers keep room for it.
  std::vector<bool> with_ratio;
  std::vector<std::string> names;        // full names
  std::vector<std::string> short_names;  // less what the group title names, plus the mark
  // Per row: bottleneck_mark() of its counters ("server-bound", ...) or "".
  // short_names carry it as " [server-bound]"; Markdown adds it to the names.
  std::vector<std::string> marks;
  // "failed: <reason>" for a benchmark that failed in any repetition (its
  // cells are then empty: never the survivors' statistics), else "".
  std::vector<std::string> failures;
  std::vector<std::vector<laid_out_cell>> cells;  // [row][column]
  bool solo = false;                              // one row: no ratios
};

// With `baseline` (a strategy, e.g. "floor"), ratios are to that row's
// values when the table has one (it reads "(1.0)"), instead of to the best.
[[nodiscard]] laid_out_table lay_out(const table& t, const std::vector<column>& columns,
                                     const std::string& sort = "min",
                                     const std::string& baseline = "");

// A column's heading as the tables show it: "Min", "StdDev", "OPS", ...
[[nodiscard]] const char* column_heading(column c) noexcept;

// "name [server-bound]", or `name` when `mark` is "".
[[nodiscard]] std::string marked_name(const std::string& name, const std::string& mark);

// "failed: <reason>" on one line, or "" for a benchmark that did not fail.
[[nodiscard]] std::string failure_text(const benchmark_result& r);

// Row `n` of `t`'s header into `out`: its name, its bound mark (a case
// whose server or client side was saturated says so beside its name: its
// time measured that side, not the pool), its short name with the mark,
// its failure text. Every table of rows (times, costs) starts a row so.
void add_row_heading(laid_out_table& out, const table& t, std::size_t n);

// What tables of closed-loop timings cannot show; printed under every
// rendered table.
[[nodiscard]] const char* closed_loop_caveat() noexcept;

}  // namespace poolbench::report
