#pragma once

#include <sstream>
#include <string>

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

}  // namespace poolbench::report
