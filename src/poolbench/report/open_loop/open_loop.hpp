#pragma once
// Open-loop results (poolbench --rate), read from loaded result files: each
// run is a benchmark_result with an open_loop section. Latency tables per
// workload (laid out as every other table, written by the same writers), the
// p99-against-rate chart (the knee), and each strategy's saturation point,
// the highest rate it holds its p99 under an SLO at.

#include <poolbench/report/input/result.hpp>
#include <poolbench/report/tables/layout.hpp>
#include <poolbench/report/tables/table_format.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

namespace poolbench::report {

// An offered or achieved rate as tables and charts print it: to 0.1 req/s.
[[nodiscard]] std::string rate_text(double rate);

// The open-loop runs of the files, in file order.
[[nodiscard]] std::vector<benchmark_result> open_loop_rows(const std::vector<result_file>& files);

// The files less their open-loop runs: what the closed-loop tables show.
[[nodiscard]] std::vector<result_file> closed_loop_part(const std::vector<result_file>& files);

// The open-loop runs of one file. Throws input_error when it cannot be read.
[[nodiscard]] std::vector<benchmark_result> load_open_loop(const std::string& path);

// Default SLO for a workload: 10x the server delay, or 5 ms without delay.
[[nodiscard]] double default_slo_s(std::uint64_t delay_ms);

// The highest offered rate at which this strategy's p99 stays within `slo_s`
// with every request answered, at that rate and every lower one; nullopt
// when even the lowest rate misses it. `rows` of one strategy and workload.
[[nodiscard]] std::optional<double> saturation_rate(std::vector<benchmark_result> rows,
                                                    double slo_s);

// The workload a run belongs to, rate aside (one table and one chart each):
// its workers, delay and connection, read in that order; a run of a file
// without workload fields by its name up to the rate (after the others).
struct open_loop_key {
  std::optional<std::string> unnamed;
  std::size_t workers = 0;
  std::uint64_t delay_ms = 0;
  bool keep_alive = false;
  bool operator==(const open_loop_key&) const = default;
  bool operator<(const open_loop_key& o) const {
    return std::tie(unnamed, workers, delay_ms, keep_alive) <
           std::tie(o.unnamed, o.workers, o.delay_ms, o.keep_alive);
  }
};
[[nodiscard]] open_loop_key open_loop_key_of(const benchmark_result& r);

// "workers:16 delay_ms:10 keepalive:0": the key in titles and file names.
[[nodiscard]] std::string open_loop_workload(const open_loop_key& k);

// The strategy of an open-loop row: its workload's, or the first part of its
// name in files without workload fields.
[[nodiscard]] std::string open_loop_strategy(const benchmark_result& r);

// The table of one workload's runs: strategy x rate, with offered and
// achieved rate, p50, p90, p99, p99.9, max (ms) and incomplete requests.
[[nodiscard]] laid_out_table lay_out_open_loop(const std::vector<benchmark_result>& rows);

// Per workload: the table, then each strategy's saturation point; then the
// legend (how latency is measured, why Achieved can exceed Offered). Term or
// Markdown through the tables' writers; csv and json as the other rows are.
void print_open_loop_tables(std::ostream& out, const std::vector<benchmark_result>& rows,
                            std::optional<double> slo_s, const render_options& options);
// The same as Markdown (true) or plain terminal text (false).
void print_open_loop_tables(std::ostream& out, const std::vector<benchmark_result>& rows,
                            std::optional<double> slo_s, bool markdown);

// For a page's summary: one Markdown bullet per workload naming, computed
// from the data, the rate up to which each pool holds its p99 within the SLO.
void write_saturation_summary(std::ostream& out, const std::vector<benchmark_result>& rows,
                              std::optional<double> slo_s);

// A self-contained SVG: p99 (solid) and p50 (dashed) against offered rate
// for each strategy of one workload, log latency axis, the SLO as a line and
// each strategy's saturation point marked (open_loop_chart.cpp).
[[nodiscard]] std::string open_loop_chart_svg(const std::vector<benchmark_result>& rows,
                                              double slo_s, const std::string& title);

// "12.35" ms style text of a latency in seconds, as tables and charts print it.
[[nodiscard]] std::string latency_ms_text(double seconds);

// The legend lines under open-loop tables.
[[nodiscard]] std::vector<std::string> open_loop_legend(const std::vector<benchmark_result>& rows);

}  // namespace poolbench::report
