#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/charts/chart_parts.hpp>

#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace poolbench::report {
namespace {

std::string num(double v) {
  return formatted("%.1f", v);
}

// The top of the axis: above every mean and interval end, rounded up so
// that its four grid steps are 1, 2, 2.5 or 5 times a power of ten.
double axis_top(const std::vector<trend_point>& points) {
  double top_value = 0;
  for (const auto& p : points) {
    if (p.value)
      top_value = std::max(top_value, *p.value);
    if (p.band)
      top_value = std::max(top_value, p.band->high);
  }
  if (!(top_value > 0))
    return 1e-6;
  const double raw_step = top_value * 1.05 / 4;
  const double power = std::pow(10.0, std::floor(std::log10(raw_step)));
  for (const double nice : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (nice * power >= raw_step)
      return 4 * nice * power;
  }
  return 40 * power;
}

}  // namespace

std::string trend_chart(const std::vector<trend_point>& points, const std::string& title) {
  constexpr double width = 720, height = 400;
  // Room below for x labels rotated by 30 degrees (about 25 characters).
  constexpr double left = 110, right = 40, top = 40, bottom = 110;
  const double y_max = axis_top(points);
  const auto unit = time_scale_for(y_max);
  const std::string prefix = unit.prefix == "u" ? "µ" : unit.prefix;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const auto x_of = [&](std::size_t i) {
    return points.size() < 2
               ? left + plot_w / 2
               : left + plot_w * static_cast<double>(i) / static_cast<double>(points.size() - 1);
  };
  const auto y_of = [&](double seconds) { return top + plot_h * (1 - seconds / y_max); };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(width) << "\" height=\""
      << num(height) << "\" viewBox=\"0 0 " << num(width) << ' ' << num(height)
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << num(width / 2) << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">"
      << svg_escape(title)
      << "</text>\n"
      // What the y axis is: the history's points are means of repetition means.
      << "<text x=\"18\" y=\"" << num(top + plot_h / 2)
      << "\" text-anchor=\"middle\" transform=\"rotate(-90 18 " << num(top + plot_h / 2)
      << ")\">mean time per round</text>\n";
  // Axes and five horizontal grid lines with their times.
  for (int tick = 0; tick <= 4; ++tick) {
    const double seconds = y_max * tick / 4;
    const double y = y_of(seconds);
    const std::string label = formatted("%.4g %ss", seconds * unit.factor, prefix.c_str());
    svg << "<line class=\"grid\" x1=\"" << num(left) << "\" y1=\"" << num(y) << "\" x2=\""
        << num(width - right) << "\" y2=\"" << num(y) << "\" stroke=\"#ddd\"/>\n"
        << "<text x=\"" << num(left - 6) << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\">"
        << label << "</text>\n";
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double x = x_of(i);
    svg << "<text x=\"" << num(x) << "\" y=\"" << num(height - bottom + 16)
        << "\" text-anchor=\"end\" transform=\"rotate(-30 " << num(x) << ' '
        << num(height - bottom + 16) << ")\">" << svg_escape(points[i].label) << "</text>\n";
  }
  // The line, one polyline per run of consecutive present points.
  std::string run;
  auto flush = [&] {
    if (run.find(' ') != std::string::npos)
      svg << "<polyline class=\"trend\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" "
             "points=\""
          << run << "\"/>\n";
    run.clear();
  };
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!points[i].value) {
      flush();
      continue;
    }
    if (!run.empty())
      run += ' ';
    run += num(x_of(i));
    run += ',';
    run += num(y_of(*points[i].value));
  }
  flush();
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    if (!p.value)
      continue;
    const double x = x_of(i);
    const char* colour = p.marked ? "#d62728" : "#1f77b4";
    if (p.band) {
      svg << "<line class=\"interval\" x1=\"" << num(x) << "\" y1=\"" << num(y_of(p.band->low))
          << "\" x2=\"" << num(x) << "\" y2=\"" << num(y_of(p.band->high)) << "\" stroke=\""
          << colour << "\" stroke-width=\"2\"/>\n";
    }
    const std::string value = formatted("%.4f %ss", *p.value * unit.factor, prefix.c_str());
    svg << "<circle class=\"" << (p.marked ? "regression" : "point") << "\" cx=\"" << num(x)
        << "\" cy=\"" << num(y_of(*p.value)) << "\" r=\"" << (p.marked ? "6" : "4") << "\" fill=\""
        << colour << "\"><title>" << svg_escape(p.label) << ": " << value
        << (p.marked ? " (regression)" : "") << "</title></circle>\n";
  }
  // What the marks mean, under the rotated labels.
  const bool any_marked = std::any_of(points.begin(), points.end(),
                                      [](const trend_point& p) { return p.value && p.marked; });
  const bool any_band = std::any_of(points.begin(), points.end(),
                                    [](const trend_point& p) { return p.value && p.band; });
  svg << "<text x=\"20.0\" y=\"" << num(height - 8)
      << "\" font-size=\"10\" fill=\"#555555\">Dots: mean time per round"
      << (any_band ? "; bars: its interval over repetitions" : "")
      << (any_marked ? "; red: slower than the point before (verdict)" : "") << ".</text>\n";
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace poolbench::report
