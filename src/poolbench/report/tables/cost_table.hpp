#pragma once
// What each case cost (docs/result-format.md, "Cost counters"), as a table
// beside each group's time table: CPU and context switches per request,
// memory, the pool's start-up, and where measured the server's CPU, the
// busy shares, and for delayed workloads the ideal round and the efficiency
// (how close the round came to it). Only for rows that carry the counters: plain Google Benchmark
// files and files from before the counters get no table at all.

#include <poolbench/report/tables/layout.hpp>
#include <poolbench/report/tables/table.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

// One column of the cost table.
struct cost_column {
  const char* counter;  // "client_cpu_us_per_request"
  const char* heading;  // "CPU us/req"
  double scale;         // displayed = counter x scale (pool_start_us in ms)
  int decimals;
  // (1.0) is the column's lowest: only for the per-request costs the pools
  // are compared on (a 0 KiB/worker would make every other ratio infinite).
  bool ratio;
  const char* meaning;  // for the legend
};

// Every column, in display order.
[[nodiscard]] const std::vector<cost_column>& cost_columns();

// The columns some row of `tables` has a counter for (none: no cost table).
[[nodiscard]] std::vector<cost_column> cost_columns_present(const std::vector<table>& tables);

// The cost columns to show within `width` (0: no limit): those present, less
// the least important (busy shares, start, server CPU, the whole process's
// PSS, the ideal round, switches, KiB/worker, the pool's PSS, efficiency)
// while any table is wider; CPU per request always
// stays.
struct cost_fit {
  std::vector<cost_column> shown;
  std::vector<cost_column> dropped;
};
[[nodiscard]] cost_fit fit_cost_columns(const std::vector<table>& tables, std::size_t width);

// The cost table of one group: its rows that carry any of `columns`' counters,
// in the time table's order, ratios to each cost column's lowest value, a
// bound case marked beside its name; nullopt when no row has one.
[[nodiscard]] std::optional<laid_out_table> lay_out_costs(const table& t,
                                                          const std::vector<cost_column>& columns);

// The Markdown cost table of a group (a bold caption, the table, a blank
// line), if it has one; every column its rows have.
void write_cost_markdown(std::ostream& out, const table& t);
void write_cost_markdown(std::ostream& out, const table& t,
                         const std::vector<cost_column>& columns);

// What the cost columns mean (and which were left out to fit), one legend
// item; "" when no table has costs.
[[nodiscard]] std::string cost_legend(const cost_fit& fit, std::size_t width);

}  // namespace poolbench::report
