#pragma once

#include <poolbench/report/tables/table.hpp>

#include <cstddef>
#include <functional>
#include <limits>
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

// One row: its full name and its short name (less what the group title
// names), each with its bound mark (add_row_heading), and either its
// failure ("failed: <reason>": its cells are then empty, never the
// survivors' statistics) or one cell per column.
struct laid_out_row {
  std::string name;        // Markdown's
  std::string short_name;  // the terminal's
  std::string failure;
  std::vector<laid_out_cell> cells;
};

struct laid_out_table {
  std::string group;
  // "benchmark '<group>': N tests", as pytest-benchmark heads its tables:
  // centred in a rule in the terminal, bold in Markdown.
  std::string title;
  // Markdown, after the bold title of a table under a group's time table:
  // what its values are ("(means over ...)").
  std::string caption;
  std::vector<std::string> labels;  // "Name (time in ms)", "Min", ...
  // Per column after the name: whether its cells carry a ratio, so the
  // writers keep room for it.
  std::vector<bool> with_ratio;
  std::vector<laid_out_row> rows;
  bool solo = false;  // one row: no ratios
};

// The lowest and the highest known (not NaN) value of a column over the
// rows of `t` that did not fail; NaN when there is none.
struct value_range {
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
};
[[nodiscard]] value_range range_of(const table& t,
                                   const std::function<double(const benchmark_result&)>& value);

// With `baseline` (a strategy, e.g. "floor"), ratios are to that row's
// values when the table has one (it reads "(1.0)"), instead of to the best.
[[nodiscard]] laid_out_table lay_out(const table& t, const std::vector<column>& columns,
                                     const std::string& sort = "min",
                                     const std::string& baseline = "");

// "failed: <reason>" on one line, or "" for a benchmark that did not fail.
[[nodiscard]] std::string failure_text(const benchmark_result& r);

// Starts row `n` of `t` in `out`: its names with its bound mark (a case
// whose server or client side was saturated says so beside its name, "
// [server-bound]": its time measured that side, not the pool) and its
// failure text. Every table of rows (times, costs, latency) starts a row so.
laid_out_row& add_row_heading(laid_out_table& out, const table& t, std::size_t n);

// What tables of closed-loop timings cannot show; printed under every
// rendered table.
[[nodiscard]] const char* closed_loop_caveat() noexcept;

}  // namespace poolbench::report
