#pragma once

#include <string>
#include <vector>

namespace poolbench::report {

// One axis of a chart: where a value falls between the axis' ends, and the
// round values to mark. Linear axes start at zero; logarithmic ones serve
// values that span more than 10×, where a linear axis would squash all but
// the largest against zero.
class chart_axis {
 public:
  // 0 to a round value ≥ max, ticks 1, 2 or 5 × 10^k apart.
  [[nodiscard]] static chart_axis linear(double max);
  // [min, max] (both > 0) widened a little, ticks at 1, 2, 5 × 10^k inside
  // it; finer (1, 2, 3, 5, then 1..9) when that gives fewer than three,
  // powers of ten only when it gives too many.
  [[nodiscard]] static chart_axis logarithmic(double min, double max);
  // Logarithmic from min to max (both > 0, padded when equal), ticks exactly
  // at `ticks`: for counts such as pool sizes.
  [[nodiscard]] static chart_axis logarithmic_at(std::vector<double> ticks);
  // Logarithmic when max / min > 10, else linear.
  [[nodiscard]] static chart_axis for_span(double min, double max);

  // 0 at the low end, 1 at the high end; values beyond give < 0 or > 1.
  [[nodiscard]] double fraction(double value) const;
  [[nodiscard]] const std::vector<double>& ticks() const { return ticks_; }
  [[nodiscard]] bool logarithmic() const { return log_; }
  [[nodiscard]] double low() const { return low_; }
  [[nodiscard]] double high() const { return high_; }

 private:
  chart_axis(double low, double high, bool log, std::vector<double> ticks);

  double low_;
  double high_;
  bool log_;
  std::vector<double> ticks_;
};

// A time in seconds as a tick label with its own unit: "0", "250 µs",
// "1.5 ms", "2 s".
[[nodiscard]] std::string time_label(double seconds);

// A count as a tick label: "1", "64".
[[nodiscard]] std::string count_label(double value);

}  // namespace poolbench::report
