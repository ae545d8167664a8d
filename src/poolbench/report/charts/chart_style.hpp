#pragma once

#include <poolbench/report/input/result.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// How a benchmark looks in every chart: one colour per strategy, the same
// in every chart; cold pools drawn hollow or dashed, warm ones solid.
struct chart_style {
  std::string colour;  // "#1f77b4"
  bool cold = false;
};

// By the `strategy` and `mode` parameters when the benchmark has them
// (poolbench names, and the Python reference's extra_info, so both
// languages' thread pools look alike); else by the name.
[[nodiscard]] chart_style style_of(const benchmark_result& r);

// The colour of a strategy ("thread_pool", ...) in every chart.
[[nodiscard]] const char* strategy_colour(const std::string& strategy);

// The floor: the least any strategy could take for the workload (a future
// strategy named `floor`, `floor/batch:3/delay_ms:0[/keepalive:1]`, no
// warm/cold part). Charts draw it as a reference line, not as a contender.
[[nodiscard]] bool is_floor(const benchmark_result& r);

// What a chart calls rows[i]: labels[i] when there is a label per row, else
// its name.
[[nodiscard]] std::string chart_label(const std::vector<benchmark_result>& rows,
                                      const std::vector<std::string>& labels, std::size_t i);

// The colour of the floor's reference line.
inline constexpr const char* floor_colour = "#222222";
// The colour of a failure note.
inline constexpr const char* failure_colour = "#b00020";

}  // namespace poolbench::report
