#pragma once
// What every chart draws with: the SVG canvas, its axes, how a benchmark
// looks (colour, cold or warm) and the interval of its mean.

#include <poolbench/report/input/result.hpp>

#include <cstddef>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace poolbench::report {

// An SVG document written element by element: coordinates with one decimal
// and text escaped, so the same chart gives the same bytes. Attributes
// beyond the geometry are passed as written ("stroke=\"#555\"").
class svg_canvas {
 public:
  svg_canvas(double width, double height, const std::string& title);

  void line(double x1, double y1, double x2, double y2, const std::string& attributes);
  void rect(double x, double y, double width, double height, const std::string& attributes);
  void circle(double cx, double cy, double r, const std::string& attributes);
  void polyline(const std::string& points, const std::string& attributes);
  // Text in the chart's font at `size` px; anchor: start, middle or end.
  void text(double x, double y, const std::string& content, double size, const char* anchor,
            const std::string& attributes = "");

  [[nodiscard]] double width() const { return width_; }
  // The document, closed.
  [[nodiscard]] std::string finish();

 private:
  double width_;
  std::ostringstream out_;
};

// A coordinate as the canvas writes it: one decimal.
[[nodiscard]] std::string svg_number(double v);

// "<", "&", ... as entities.
[[nodiscard]] std::string svg_escape(const std::string& text);

// "x,y" appended to a polyline's points.
void append_point(std::string& path, double x, double y);

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

// The 95 % confidence interval of a benchmark's mean time, over its
// repetitions: mean ± t(0.975, n − 1) · sd / √n of `repetition_means`. The
// rounds of one repetition are not independent (they share a pool, its
// connections and the machine's state at that moment); repetitions are the
// closest thing to independent samples, so they are the unit here.
struct mean_interval {
  double mean = 0;  // of the repetition means, seconds
  double low = 0;
  double high = 0;
  std::size_t repetitions = 0;
};

// Needs two or more finite repetition means and no failed repetition.
[[nodiscard]] std::optional<mean_interval> repetition_interval(const benchmark_result& r);

}  // namespace poolbench::report
