#pragma once
// The closed loop's per-request latency (docs/result-format.md, the run's
// "latency" object) as a table beside each group's time table: p50, p99 and
// max of service time (from a request's start to its checked answer) and of
// queue time (from the batch's submission to that start). A round's mean
// hides the tail a batch waits for; these show it. Only for rows that carry
// the object: older files and plain Google Benchmark files get no table.

#include <poolbench/report/tables/layout.hpp>
#include <poolbench/report/tables/table.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace poolbench::report {

// The latency table of one group: its rows with latency, in the time
// table's order, one time unit for the table, no ratios (a tail is read as
// it is); nullopt when no row has latency.
[[nodiscard]] std::optional<laid_out_table> lay_out_latency(const table& t);

// The Markdown latency table of a group (a bold caption, the table, a blank
// line), if it has one.
void write_latency_markdown(std::ostream& out, const table& t);

// What the latency columns mean, one legend item; "" when no table has one.
[[nodiscard]] std::string latency_legend(const std::vector<table>& tables);

}  // namespace poolbench::report
