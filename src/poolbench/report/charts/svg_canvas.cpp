#include <poolbench/report/charts/svg_canvas.hpp>
#include <poolbench/report/formatted.hpp>

namespace poolbench::report {

std::string svg_number(double v) {
  return formatted("%.1f", v);
}

std::string svg_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

svg_canvas::svg_canvas(double width, double height, const std::string& title) : width_(width) {
  out_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << svg_number(width)
       << "\" height=\"" << svg_number(height) << "\" viewBox=\"0 0 " << svg_number(width) << ' '
       << svg_number(height) << "\">\n"
       << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  text(width / 2, 22, title, 15, "middle");
}

void svg_canvas::line(double x1, double y1, double x2, double y2, const std::string& attributes) {
  out_ << "<line x1=\"" << svg_number(x1) << "\" y1=\"" << svg_number(y1) << "\" x2=\""
       << svg_number(x2) << "\" y2=\"" << svg_number(y2) << "\" " << attributes << "/>\n";
}

void svg_canvas::rect(double x, double y, double width, double height,
                      const std::string& attributes) {
  out_ << "<rect x=\"" << svg_number(x) << "\" y=\"" << svg_number(y) << "\" width=\""
       << svg_number(width) << "\" height=\"" << svg_number(height) << "\" " << attributes
       << "/>\n";
}

void svg_canvas::circle(double cx, double cy, double r, const std::string& attributes) {
  out_ << "<circle cx=\"" << svg_number(cx) << "\" cy=\"" << svg_number(cy) << "\" r=\""
       << svg_number(r) << "\" " << attributes << "/>\n";
}

void svg_canvas::polyline(const std::string& points, const std::string& attributes) {
  out_ << "<polyline points=\"" << points << "\" " << attributes << "/>\n";
}

void svg_canvas::text(double x, double y, const std::string& content, double size,
                      const char* anchor, const std::string& attributes) {
  out_ << "<text x=\"" << svg_number(x) << "\" y=\"" << svg_number(y) << "\" text-anchor=\""
       << anchor << "\" font-size=\"" << svg_number(size)
       << "\" font-family=\"DejaVu Sans, Arial, sans-serif\"" << (attributes.empty() ? "" : " ")
       << attributes << ">" << svg_escape(content) << "</text>\n";
}

std::string svg_canvas::finish() {
  out_ << "</svg>\n";
  return out_.str();
}

}  // namespace poolbench::report
