#pragma once

#include <string>

namespace poolbench::report {

// A display unit: values are multiplied by `factor` and shown with `prefix`
// ("m" + "s" = ms).
struct unit_scale {
  std::string prefix;
  double factor = 1.0;
};

// pytest-benchmark's time_unit(): n, u, m or none for the given seconds.
[[nodiscard]] unit_scale time_scale_for(double seconds);

// pytest-benchmark's operations_unit(): M, K or none for the given ops/s.
[[nodiscard]] unit_scale ops_scale_for(double ops);

// Python's "{:,.4f}": four decimals, thousands separated by commas; "n/a"
// for NaN, "inf"/"-inf" for infinities.
[[nodiscard]] std::string format_number(double value);

// printf's "%.*f": `decimals` digits after the point; "-" for NaN (a value
// not measured).
[[nodiscard]] std::string format_fixed(double value, int decimals);

// pytest-benchmark's compute_baseline_scale() without padding: "(1.0)" for
// the best value itself, "(1.18)", "(>1000.0)", "(inf)".
[[nodiscard]] std::string format_ratio(double best, double value);

}  // namespace poolbench::report
