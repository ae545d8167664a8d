// The open-loop chart: latency against offered rate, the knee of each pool.

#include <poolbench/report/charts/chart_parts.hpp>
#include <poolbench/report/formatted.hpp>
#include <poolbench/report/open_loop/open_loop.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <sstream>

namespace poolbench::report {
namespace {

// A decade tick: "0.1 ms", "1 ms", "10 ms", "1000 ms": one unit and no
// padding zeros on every tick, so the axis reads as a scale.
std::string decade_text(double seconds) {
  return formatted("%g ms", seconds * 1e3);
}

}  // namespace

std::string open_loop_chart_svg(const std::vector<benchmark_result>& rows, double slo_s,
                                const std::string& title) {
  constexpr double width = 654, height = 360, left = 84, right = 150, top = 40, bottom = 50;
  double max_rate = 0, lo = slo_s, hi = slo_s;
  for (const auto& r : rows) {
    if (r.failed() || !r.open_loop)
      continue;
    max_rate = std::max(max_rate, r.open_loop->offered_rate);
    for (double v : {r.open_loop->latency.p50, r.open_loop->latency.p99}) {
      if (v > 0) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  const double log_lo = std::floor(std::log10(lo)), log_hi = std::ceil(std::log10(hi));
  const double span = std::max(log_hi - log_lo, 1.0);
  auto x = [&](double rate) {
    return left + (width - left - right) * rate / std::max(max_rate, 1.0);
  };
  auto y = [&](double seconds) {
    return top + (height - top - bottom) * (1 - (std::log10(seconds) - log_lo) / span);
  };
  std::ostringstream svg;
  svg << std::fixed << std::setprecision(1);
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << left << "\" y=\"20\" font-size=\"14\">" << svg_escape(title)
      << "</text>\n";
  // Axes, decade grid lines, rate ticks.
  for (double d = log_lo; d <= log_lo + span + 1e-9; ++d) {
    const double v = std::pow(10.0, d);
    svg << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << y(v) << "\" y2=\""
        << y(v) << "\" stroke=\"#ddd\"/>\n<text x=\"" << left - 6 << "\" y=\"" << y(v) + 4
        << "\" text-anchor=\"end\">" << decade_text(v) << "</text>\n";
  }
  for (int i = 0; i <= 4; ++i) {
    const double r = max_rate * i / 4;
    svg << "<text x=\"" << x(r) << "\" y=\"" << height - bottom + 16 << "\" text-anchor=\"middle\">"
        << rate_text(r) << "</text>\n";
  }
  svg << "<text x=\"" << (left + width - right) / 2 << "\" y=\"" << height - 12
      << "\" text-anchor=\"middle\">offered rate (req/s)</text>\n"
      << "<text x=\"14\" y=\"" << (top + height - bottom) / 2
      << "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " << (top + height - bottom) / 2
      << ")\">latency from intended send time</text>\n"
      << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << y(slo_s)
      << "\" y2=\"" << y(slo_s) << "\" stroke=\"#c00\" stroke-dasharray=\"2,3\"/>\n<text x=\""
      << width - right + 4 << "\" y=\"" << y(slo_s) + 4 << "\" fill=\"#c00\">SLO "
      << decade_text(slo_s) << "</text>\n";
  // Per strategy: its runs (for the saturation point) and its points by rate.
  struct point {
    double rate, p50, p99;
  };
  std::map<std::string, std::pair<std::vector<benchmark_result>, std::vector<point>>> by_strategy;
  for (const auto& r : rows) {
    if (r.failed() || !r.open_loop)
      continue;
    auto& [runs, points] = by_strategy[open_loop_strategy(r)];
    runs.push_back(r);
    points.push_back(
        {r.open_loop->offered_rate, r.open_loop->latency.p50, r.open_loop->latency.p99});
  }
  double legend_y = top + 20;
  for (auto& [strategy, series] : by_strategy) {
    auto& [runs, points] = series;
    std::sort(points.begin(), points.end(),
              [](const point& a, const point& b) { return a.rate < b.rate; });
    const char* colour = strategy_colour(strategy);
    for (const bool p99 : {true, false}) {
      svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\""
          << (p99 ? "" : " stroke-dasharray=\"5,4\"") << " points=\"";
      for (const auto& p : points)
        svg << x(p.rate) << "," << y(std::max(p99 ? p.p99 : p.p50, lo)) << " ";
      svg << "\"/>\n";
    }
    if (const auto rate = saturation_rate(runs, slo_s)) {
      const auto& at = *std::find_if(points.begin(), points.end(),
                                     [&](const point& p) { return p.rate == *rate; });
      svg << "<circle cx=\"" << x(at.rate) << "\" cy=\"" << y(std::max(at.p99, lo))
          << "\" r=\"5\" fill=\"" << colour << "\"><title>" << strategy << " saturates above "
          << rate_text(*rate) << " req/s</title></circle>\n";
    }
    svg << "<line x1=\"" << width - right + 10 << "\" x2=\"" << width - right + 30 << "\" y1=\""
        << legend_y << "\" y2=\"" << legend_y << "\" stroke=\"" << colour
        << "\" stroke-width=\"2\"/>\n<text x=\"" << width - right + 34 << "\" y=\"" << legend_y + 4
        << "\">" << strategy << "</text>\n";
    legend_y += 18;
  }
  svg << "<text x=\"" << width - right + 10 << "\" y=\"" << legend_y + 10
      << "\" fill=\"#555\">solid p99, dashed p50;</text>\n<text x=\"" << width - right + 10
      << "\" y=\"" << legend_y + 26 << "\" fill=\"#555\">dot: saturation point</text>\n</svg>\n";
  return svg.str();
}

}  // namespace poolbench::report
