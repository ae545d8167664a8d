// Time against pool size (see svg_chart.hpp): log–log, so that at 1 s and at
// 25 ms alike equal ratios look equally far apart and lines do not merge.

#include <poolbench/report/svg_chart.hpp>

#include <poolbench/report/chart_axis.hpp>
#include <poolbench/report/chart_style.hpp>
#include <poolbench/report/layout.hpp>
#include <poolbench/report/mean_interval.hpp>
#include <poolbench/report/svg_canvas.hpp>
#include <poolbench/report/table.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

namespace poolbench::report {
namespace {

constexpr double chart_width = 760;
constexpr double left = 80, top = 46, plot_height = 320, margin_right = 70;

struct point {
  double mean;
  std::optional<mean_interval> interval;
};

struct series {
  chart_style style;
  std::map<double, point> points;  // by workers
};

std::optional<double> workers_of(const benchmark_result& r) {
  const auto w = r.params.find("workers");
  if (w == r.params.end())
    return std::nullopt;
  char* end = nullptr;
  const double workers = std::strtod(w->second.c_str(), &end);
  if (*end != '\0' || !(workers > 0) || !std::isfinite(workers))
    return std::nullopt;
  return workers;
}

}  // namespace

std::string workers_chart(const std::vector<benchmark_result>& all, const std::string& title,
                          const std::vector<std::string>& labels) {
  std::map<std::string, series> lines;
  std::vector<std::pair<std::string, double>> floors;  // label, mean
  std::vector<std::string> notes;                      // failures
  std::vector<double> workers;
  double low = INFINITY, high = 0;
  auto span = [&](double v) {
    if (std::isfinite(v) && v > 0) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  };
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& r = all[i];
    const std::string label = chart_label(all, labels, i);
    const auto w = workers_of(r);
    if (r.failed() && (w || is_floor(r))) {
      notes.push_back(label + ": " + failure_text(r));
    } else if (is_floor(r) && std::isfinite(r.stats.mean)) {
      floors.emplace_back(label, r.stats.mean);
      span(r.stats.mean);
    } else if (w && std::isfinite(r.stats.mean)) {
      const std::string name = short_name(label, {{"workers", r.params.at("workers")}});
      auto& s = lines[name];
      s.style = style_of(r);
      const auto interval = repetition_interval(r);
      s.points[*w] = {r.stats.mean, interval};
      workers.push_back(*w);
      span(r.stats.mean);
      if (interval) {
        span(interval->low);
        span(interval->high);
      }
    }
  }
  // Without a line there is nothing to read against workers.
  if (std::none_of(lines.begin(), lines.end(),
                   [](const auto& l) { return l.second.points.size() > 1; }))
    return "";
  const auto x_axis = chart_axis::logarithmic_at(workers);
  const auto y_axis = chart_axis::logarithmic(low, high);
  const double plot_width = chart_width - left - margin_right;
  const double legend_top = top + plot_height + 62;
  const double height =
      legend_top + 18 * static_cast<double>(lines.size() + floors.size() + notes.size()) + 26;
  auto x_of = [&](double w) { return left + x_axis.fraction(w) * plot_width; };
  auto y_of = [&](double seconds) {
    return top + plot_height - std::clamp(y_axis.fraction(seconds), 0.0, 1.0) * plot_height;
  };

  svg_canvas svg(chart_width, height, title);
  for (double t : y_axis.ticks()) {
    svg.line(left, y_of(t), left + plot_width, y_of(t), "stroke=\"#dddddd\"");
    svg.text(left - 6, y_of(t) + 4, time_label(t), 11, "end");
  }
  for (double w : x_axis.ticks()) {
    svg.line(x_of(w), top, x_of(w), top + plot_height, "stroke=\"#eeeeee\"");
    svg.text(x_of(w), top + plot_height + 16, count_label(w), 11, "middle");
  }
  svg.line(left, top + plot_height, left + plot_width, top + plot_height, "stroke=\"#888888\"");
  svg.text(left + plot_width / 2, top + plot_height + 36, "workers (log scale)", 12, "middle");
  svg.text(16, top + plot_height / 2, "mean time per round (log scale)", 12, "middle",
           "transform=\"rotate(-90 16 " + svg_number(top + plot_height / 2) + ")\"");

  double legend_y = legend_top;
  for (const auto& [label, seconds] : floors) {
    const std::string stroke = std::string("stroke=\"") + floor_colour +
                               "\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"";
    svg.line(left, y_of(seconds), left + plot_width, y_of(seconds), stroke);
    svg.text(left + plot_width + 4, y_of(seconds) + 4, label, 10, "start");
    svg.line(left, legend_y - 4, left + 28, legend_y - 4, stroke);
    svg.text(left + 36, legend_y,
             label + " mean: " + time_label(seconds) + ", the least a round can take", 11, "start");
    legend_y += 18;
  }
  for (const auto& [name, s] : lines) {
    const std::string stroke = "stroke=\"" + s.style.colour + "\"";
    const std::string dash = s.style.cold ? " stroke-dasharray=\"6 4\"" : "";
    std::string path;
    for (const auto& [w, p] : s.points) {
      if (!path.empty())
        path += ' ';
      path += svg_number(x_of(w)) + "," + svg_number(y_of(p.mean));
    }
    svg.polyline(path, "fill=\"none\" " + stroke + " stroke-width=\"2\"" + dash);
    for (const auto& [w, p] : s.points) {
      if (p.interval) {
        svg.line(x_of(w), y_of(p.interval->low), x_of(w), y_of(p.interval->high),
                 stroke + " stroke-width=\"1.5\"");
        for (double end : {p.interval->low, p.interval->high})
          svg.line(x_of(w) - 4, y_of(end), x_of(w) + 4, y_of(end),
                   stroke + " stroke-width=\"1.5\"");
      }
      svg.circle(x_of(w), y_of(p.mean), 4,
                 stroke + " stroke-width=\"2\" fill=\"" +
                     (s.style.cold ? std::string("white") : s.style.colour) + "\"");
    }
    svg.line(left, legend_y - 4, left + 28, legend_y - 4, stroke + " stroke-width=\"2\"" + dash);
    svg.text(left + 36, legend_y, name, 11, "start");
    legend_y += 18;
  }
  for (const auto& note : notes) {
    svg.text(left, legend_y, note, 11, "start",
             std::string("fill=\"") + failure_colour + "\" font-style=\"italic\"");
    legend_y += 18;
  }
  svg.text(left, legend_y + 4,
           "Points: mean time per round; bars: its 95 % interval over repetitions.", 10, "start",
           "fill=\"#555555\"");
  return svg.finish();
}

}  // namespace poolbench::report
