#pragma once
// Open-loop results (poolbench --rate): latency percentiles per strategy and
// offered rate, the p99-against-rate chart (the knee), and each strategy's
// saturation point, the highest rate it holds its p99 under an SLO at.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

// One open-loop benchmark: `<strategy>/warm/open/rate:R/workers:N/delay_ms:D[/keepalive:1]`.
struct open_loop_point {
  std::string name;
  std::string strategy;
  std::size_t workers = 0;
  unsigned delay_ms = 0;
  bool keepalive = false;
  double offered_rate = 0;
  double achieved_rate = 0;
  std::size_t requests = 0;
  std::size_t incomplete = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;  // seconds, from intended send time
  std::string error;                                    // a failed run: no numbers
};

// The open-loop benchmarks of a Google Benchmark JSON file (none for a
// closed-loop file). Throws input_error when the file cannot be read.
[[nodiscard]] std::vector<open_loop_point> load_open_loop(const std::string& path);
// The same from a document in memory (the runner's own result).
[[nodiscard]] std::vector<open_loop_point> open_loop_points(const nlohmann::ordered_json& doc);

// Default SLO for a workload: 10x the server delay, or 5 ms without delay.
[[nodiscard]] double default_slo_s(unsigned delay_ms);

// The highest offered rate at which this strategy's p99 stays within `slo_s`
// with every request answered, at that rate and every lower one; nullopt
// when even the lowest rate misses it. `points` of one strategy and workload.
[[nodiscard]] std::optional<double> saturation_rate(std::vector<open_loop_point> points,
                                                    double slo_s);

// Groups of one workload (workers, delay, keep-alive), each a table of
// strategy x rate: offered and achieved rate, p50, p90, p99, p99.9, max,
// incomplete; then each strategy's saturation point. `markdown` for pages.
void print_open_loop_tables(std::ostream& out, const std::vector<open_loop_point>& points,
                            std::optional<double> slo_s, bool markdown);

// For a page's summary: one Markdown bullet per workload naming, computed
// from the data, the rate up to which each pool holds its p99 within the SLO.
void write_saturation_summary(std::ostream& out, const std::vector<open_loop_point>& points,
                              std::optional<double> slo_s);

// A self-contained SVG: p99 (solid) and p50 (dashed) against offered rate
// for each strategy of one workload, log latency axis, the SLO as a line and
// each strategy's saturation point marked.
[[nodiscard]] std::string open_loop_chart_svg(const std::vector<open_loop_point>& points,
                                              double slo_s, const std::string& title);

// "workers:16 delay_ms:10 keepalive:0" style key of a point's workload.
[[nodiscard]] std::string open_loop_workload(const open_loop_point& p);

}  // namespace poolbench::report
