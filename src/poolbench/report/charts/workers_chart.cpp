// Time, client CPU or memory against pool size (see svg_chart.hpp): log–log,
// so that at 1 s and at 25 ms alike equal ratios look equally far apart and
// lines do not merge; one panel per workload family, so no panel holds more
// lines than a reader can follow.

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/charts/chart_parts.hpp>
#include <poolbench/report/charts/workload_family.hpp>
#include <poolbench/report/claims/bottleneck.hpp>
#include <poolbench/report/tables/layout.hpp>
#include <poolbench/report/tables/table.hpp>

#include <algorithm>
#include <cmath>
#include <map>

namespace poolbench::report {
namespace {

constexpr double workers_chart_width = 760;
constexpr double workers_margin_left = 80, workers_margin_top = 46, workers_margin_right = 130;

// How the charts against workers draw a series, and the legend that says so:
// colour per strategy, dashed for a new connection per request, hollow
// points for cold pools, a marker shape per file, and a ring or a square
// around server- or client-bound points.
struct series_style {
  chart_style chart;
  bool new_connection = false;  // keepalive 0: a new connection per request
  std::size_t file = 0;         // index of its file among the chart's files
};

constexpr double line_height = 18;

// Attributes of a series' line, a floor's line and the ideal round's line.
std::string series_stroke(const series_style& s) {
  std::string out = "stroke=\"" + s.chart.colour + "\" stroke-width=\"2\"";
  if (s.new_connection)
    out += " stroke-dasharray=\"7 4\"";
  else if (s.chart.cold)
    out += " stroke-dasharray=\"2 3\"";
  return out;
}

std::string floor_stroke(bool new_connection) {
  return std::string("stroke=\"") + floor_colour + "\" stroke-width=\"1.2\" stroke-dasharray=\"" +
         (new_connection ? "7 4" : "3 2") + "\"";
}

const char* ideal_stroke() {
  return "stroke=\"#999999\" stroke-width=\"5\" stroke-opacity=\"0.6\" stroke-linecap=\"round\"";
}

// A point of a series: a circle for the first file, a square for the
// second, a diamond beyond; hollow for a cold pool.
void draw_point(svg_canvas& svg, double x, double y, const series_style& s) {
  const std::string& c = s.chart.colour;
  const std::string attributes = "stroke=\"" + c + "\" stroke-width=\"2\" fill=\"" +
                                 (s.chart.cold ? std::string("white") : c) + "\"";
  if (s.file == 0) {
    svg.circle(x, y, 4, attributes);
  } else if (s.file == 1) {
    svg.rect(x - 3.5, y - 3.5, 7, 7, attributes);
  } else {
    svg.polyline(svg_number(x) + "," + svg_number(y - 5) + " " + svg_number(x + 5) + "," +
                     svg_number(y) + " " + svg_number(x) + "," + svg_number(y + 5) + " " +
                     svg_number(x - 5) + "," + svg_number(y) + " " + svg_number(x) + "," +
                     svg_number(y - 5),
                 attributes);
  }
}

// An X of two strokes through (x, y), as one polyline's points.
std::string wakeup_cross(double x, double y) {
  return svg_number(x - 8) + "," + svg_number(y - 8) + " " + svg_number(x + 8) + "," +
         svg_number(y + 8) + " " + svg_number(x) + "," + svg_number(y) + " " + svg_number(x + 8) +
         "," + svg_number(y - 8) + " " + svg_number(x - 8) + "," + svg_number(y + 8);
}

// A ring (server-bound) and/or a square (client-bound) around a point.
void draw_bound(svg_canvas& svg, double x, double y, bottleneck b) {
  const char* mark = "fill=\"none\" stroke=\"black\" stroke-width=\"1.5\"";
  if (server_side_bound(b))
    svg.circle(x, y, 8, mark);
  if (client_side_bound(b))
    svg.rect(x - 10, y - 10, 20, 20, mark);
  if (wakeup_side_bound(b))  // a cross: the machine, not a side, decided the round
    svg.polyline(wakeup_cross(x, y), mark);
}

// The key under every panel: one entry per series name (its line and
// point), then the marks that occur, then what the styles mean.
class workers_legend {
 public:
  explicit workers_legend(bool several_files) : several_files_(several_files) {}
  void add_series(const std::string& name, const series_style& style);
  bool ideal = false, server_bound = false, client_bound = false, wakeup_bound = false;

  [[nodiscard]] double height() const;
  void draw(svg_canvas& svg, double left, double top, const std::string& points_note) const;

 private:
  [[nodiscard]] std::vector<std::string> style_notes() const;
  bool several_files_;
  std::vector<std::pair<std::string, series_style>> series_;
};

void workers_legend::add_series(const std::string& name, const series_style& style) {
  if (std::none_of(series_.begin(), series_.end(), [&](const auto& s) { return s.first == name; }))
    series_.emplace_back(name, style);
}

std::vector<std::string> workers_legend::style_notes() const {
  const bool new_connection = std::any_of(series_.begin(), series_.end(),
                                          [](const auto& s) { return s.second.new_connection; });
  const bool cold = std::any_of(series_.begin(), series_.end(),
                                [](const auto& s) { return s.second.chart.cold; });
  std::vector<std::string> notes;
  notes.push_back(
      std::string("Colour: strategy") +
      (new_connection ? "; solid: keep-alive, dashed: a new connection per request" : "") +
      (cold ? "; hollow points: cold pools" : "") +
      (several_files_ ? "; point shape: file (circle, square, diamond in file order)" : "") + ".");
  return notes;
}

double workers_legend::height() const {
  const std::size_t marks =
      (ideal ? 1 : 0) + (server_bound ? 1 : 0) + (client_bound ? 1 : 0) + (wakeup_bound ? 1 : 0);
  return line_height * static_cast<double>(series_.size() + marks + style_notes().size() + 1);
}

void workers_legend::draw(svg_canvas& svg, double left, double top,
                          const std::string& points_note) const {
  double y = top;
  for (const auto& [name, style] : series_) {
    svg.line(left, y - 4, left + 28, y - 4, series_stroke(style));
    draw_point(svg, left + 14, y - 4, style);
    svg.text(left + 36, y, name, 11, "start");
    y += line_height;
  }
  if (ideal) {
    svg.line(left, y - 4, left + 28, y - 4, ideal_stroke());
    svg.text(left + 36, y, "ideal round: ceil(batch / workers) × delay", 11, "start");
    y += line_height;
  }
  if (server_bound) {
    svg.circle(left + 14, y - 4, 8, "fill=\"none\" stroke=\"black\" stroke-width=\"1.5\"");
    svg.text(left + 36, y, "server-bound: the embedded server was busy ≥ 90 % (server_busy)", 11,
             "start");
    y += line_height;
  }
  if (client_bound) {
    svg.rect(left + 4, y - 14, 20, 20, "fill=\"none\" stroke=\"black\" stroke-width=\"1.5\"");
    svg.text(left + 36, y, "client-bound: poolbench was busy ≥ 90 % (client_busy)", 11, "start");
    y += line_height;
  }
  if (wakeup_bound) {
    draw_bound(svg, left + 14, y - 4, bottleneck::wakeup);
    svg.text(left + 36, y,
             "wake-up-bound: ≤ 20 of the machine's wake-up round trips per request "
             "(round_trips_per_request)",
             11, "start");
    y += line_height;
  }
  for (const auto& note : style_notes()) {
    svg.text(left, y, note, 10, "start", "fill=\"#555555\"");
    y += line_height;
  }
  svg.text(left, y, points_note, 10, "start", "fill=\"#555555\"");
}

// What the y axis reads, in the metric's own unit.
struct metric_spec {
  const char* axis_title;
  const char* floor_note;  // after "<floor> ": what its line is
  const char* points_note;
  std::optional<double> (*value)(const benchmark_result&);
  std::string (*tick)(double);
};

std::optional<double> counter(const benchmark_result& r, const char* name, double scale) {
  const auto it = r.counters.find(name);
  if (it == r.counters.end() || !std::isfinite(it->second) || !(it->second > 0))
    return std::nullopt;
  return it->second * scale;
}

std::string mib_label(double mib) {
  return formatted("%g MiB", mib);
}

// Whether any row has the pool's own memory: then the memory chart draws it
// for every row (a row without it, a cold pool, draws no point), else the
// whole process's peak PSS for every row, and its axis says which.
bool any_pool_pss(const std::vector<benchmark_result>& all) {
  return std::any_of(all.begin(), all.end(),
                     [](const benchmark_result& r) { return r.counters.contains("pool_pss_mib"); });
}

metric_spec spec_of(workers_metric m, const std::vector<benchmark_result>& all) {
  switch (m) {
    case workers_metric::client_cpu:
      return {
          "client CPU per request (log scale)", "client CPU per request",
          "Points: CPU of poolbench and its workers per request over the timed rounds, mean "
          "over repetitions.",
          [](const benchmark_result& r) { return counter(r, "client_cpu_us_per_request", 1e-6); },
          time_label};
    case workers_metric::memory:
      if (any_pool_pss(all))
        return {"the pool's own memory, pool_pss_mib (log scale)", "own memory",
                "Points: the pool's own memory (pool_pss_mib): private and shared PSS of poolbench "
                "and its workers above poolbench's own before the pool was built, mean over "
                "repetitions; 0 is not drawn.",
                [](const benchmark_result& r) { return counter(r, "pool_pss_mib", 1); }, mib_label};
      return {"peak PSS of the whole process (log scale)", "peak PSS",
              "Points: peak proportional set size of the whole process, poolbench and its "
              "workers, during the timed rounds, mean over repetitions (peak_pss_mib: the files "
              "have no pool_pss_mib; it grows over a run whatever ran in it).",
              [](const benchmark_result& r) { return counter(r, "peak_pss_mib", 1); }, mib_label};
    case workers_metric::time:
      break;
  }
  return {"mean time per round (log scale)", "mean",
          "Points: mean time per round; bars: its 95 % interval over repetitions.",
          [](const benchmark_result& r) {
            return std::isfinite(r.stats.mean) ? std::optional<double>(r.stats.mean) : std::nullopt;
          },
          time_label};
}

struct point {
  double value;
  std::optional<mean_interval> interval;
  bottleneck bound = bottleneck::none;
};

struct series {
  series_style style;
  std::map<double, point> points;  // by workers
};

struct floor_line {
  std::string name;
  double value;
  bool new_connection;
};

struct panel {
  std::string title;
  std::map<std::string, series> lines;
  std::vector<floor_line> floors;
  std::vector<std::string> notes;  // failures
  std::map<double, double> ideal;  // workers → seconds
  [[nodiscard]] bool drawable() const {
    return std::any_of(lines.begin(), lines.end(),
                       [](const auto& l) { return l.second.points.size() > 1; });
  }
};

// What a row is called within its panel: less what the panel's title and
// the x axis say (workers, batch, delay).
std::string series_name(const benchmark_result& r, const std::string& label) {
  std::vector<std::pair<std::string, std::string>> key;
  for (const char* k : {"workers", "batch", "delay_ms"}) {
    if (const auto it = r.params.find(k); it != r.params.end())
      key.emplace_back(k, it->second);
  }
  // A file's " (stem)" after the name (file_distinct_labels) stays at the end.
  if (label.size() > r.name.size() && label.compare(0, r.name.size(), r.name) == 0)
    return short_name(r.name, key) + label.substr(r.name.size());
  return short_name(label, key);
}

panel panel_of(const std::vector<benchmark_result>& all, const std::vector<std::string>& labels,
               const std::vector<std::size_t>& rows, const std::vector<std::string>& files,
               const metric_spec& spec, bool time) {
  panel p;
  for (std::size_t i : rows) {
    const auto& r = all[i];
    const std::string label = chart_label(all, labels, i);
    const auto w = workers_of(r);
    const auto v = spec.value(r);
    const auto ka = r.params.find("keepalive");
    const bool new_connection = ka != r.params.end() && ka->second == "0";
    if (r.failed() && (w || is_floor(r))) {
      p.notes.push_back(label + ": " + failure_text(r));
    } else if (is_floor(r) && v) {
      p.floors.push_back({series_name(r, label), *v, new_connection});
    } else if (w && v) {
      auto& s = p.lines[series_name(r, label)];
      s.style = {
          style_of(r), new_connection,
          static_cast<std::size_t>(std::find(files.begin(), files.end(), r.file) - files.begin())};
      s.points[*w] = {*v, time ? repetition_interval(r) : std::nullopt, bottleneck_of(r)};
      if (const auto ideal = ideal_round_s(r); ideal && time)
        p.ideal[*w] = *ideal;
    }
  }
  return p;
}

// Labels at the right end of the plot, pushed apart so none overlaps
// another and none leaves [low, high].
std::vector<double> spread(std::vector<double> ys, double gap, double low, double high) {
  std::vector<std::size_t> order(ys.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return ys[a] < ys[b]; });
  for (std::size_t k = 1; k < order.size(); ++k)
    ys[order[k]] = std::max(ys[order[k]], ys[order[k - 1]] + gap);
  if (!order.empty() && ys[order.back()] > high) {
    ys[order.back()] = high;
    for (std::size_t k = order.size() - 1; k-- > 0;)
      ys[order[k]] = std::min(ys[order[k]], ys[order[k + 1]] - gap);
  }
  for (auto& y : ys)
    y = std::max(y, low);
  return ys;
}

}  // namespace

std::string workers_chart(const std::vector<benchmark_result>& all, const std::string& title,
                          const std::vector<std::string>& labels, workers_metric metric) {
  const auto spec = spec_of(metric, all);
  const bool time = metric == workers_metric::time;
  std::vector<std::string> files;  // in order of first use: a marker shape each
  for (const auto& r : all) {
    if (std::find(files.begin(), files.end(), r.file) == files.end())
      files.push_back(r.file);
  }
  auto families = workload_families(all);
  if (families.empty()) {  // no workload parameters: every row in one panel
    families.push_back({"", "", std::nullopt, {}});
    for (std::size_t i = 0; i < all.size(); ++i)
      families.back().rows.push_back(i);
  }
  std::vector<panel> panels;
  for (const auto& f : families) {
    auto p = panel_of(all, labels, f.rows, files, spec, time);
    p.title = f.title;
    if (p.drawable())
      panels.push_back(std::move(p));
  }
  if (panels.empty())
    return "";
  const bool titled = panels.size() > 1;
  const double plot_height = titled ? 240 : 320;
  const double plot_width = workers_chart_width - workers_margin_left - workers_margin_right;
  auto panel_height = [&](const panel& p) {
    return (titled ? 22.0 : 0.0) + plot_height + 44 +
           16 * static_cast<double>(p.floors.size() + p.notes.size()) + 18;
  };
  workers_legend legend(files.size() > 1);
  double height = workers_margin_top;
  for (const auto& p : panels) {
    height += panel_height(p);
    for (const auto& [name, s] : p.lines)
      legend.add_series(name, s.style);
  }
  for (const auto& p : panels) {
    legend.ideal |= !p.ideal.empty();
    for (const auto& [name, s] : p.lines) {
      for (const auto& [w, pt] : s.points) {
        legend.server_bound |= server_side_bound(pt.bound);
        legend.client_bound |= client_side_bound(pt.bound);
        legend.wakeup_bound |= wakeup_side_bound(pt.bound);
      }
    }
  }
  svg_canvas svg(workers_chart_width, height + legend.height() + 20, title);

  double panel_top = workers_margin_top;
  for (const auto& p : panels) {
    if (titled)
      svg.text(workers_margin_left, panel_top + 8, p.title, 12, "start", "font-weight=\"bold\"");
    const double plot_top = panel_top + (titled ? 22 : 0);
    std::vector<double> workers, values;
    for (const auto& f : p.floors)
      values.push_back(f.value);
    for (const auto& [w, ideal] : p.ideal)
      values.push_back(ideal);
    for (const auto& [name, s] : p.lines) {
      for (const auto& [w, pt] : s.points) {
        workers.push_back(w);
        values.push_back(pt.value);
        if (pt.interval) {
          values.push_back(pt.interval->low);
          values.push_back(pt.interval->high);
        }
      }
    }
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !(v > 0); }),
                 values.end());
    const auto x_axis = chart_axis::logarithmic_at(workers);
    const auto y_axis = chart_axis::logarithmic(*std::min_element(values.begin(), values.end()),
                                                *std::max_element(values.begin(), values.end()));
    auto x_of = [&](double w) { return workers_margin_left + x_axis.fraction(w) * plot_width; };
    auto y_of = [&](double v) {
      return plot_top + plot_height - std::clamp(y_axis.fraction(v), 0.0, 1.0) * plot_height;
    };
    const double bottom = plot_top + plot_height;
    for (double t : y_axis.ticks()) {
      svg.line(workers_margin_left, y_of(t), workers_margin_left + plot_width, y_of(t),
               "stroke=\"#dddddd\"");
      svg.text(workers_margin_left - 6, y_of(t) + 4, spec.tick(t), 11, "end");
    }
    for (double w : x_axis.ticks()) {
      svg.line(x_of(w), plot_top, x_of(w), bottom, "stroke=\"#eeeeee\"");
      svg.text(x_of(w), bottom + 16, count_label(w), 11, "middle");
    }
    svg.line(workers_margin_left, bottom, workers_margin_left + plot_width, bottom,
             "stroke=\"#888888\"");
    svg.text(workers_margin_left + plot_width / 2, bottom + 36, "workers (log scale)", 12,
             "middle");
    const double mid = plot_top + plot_height / 2;
    svg.text(16, mid, spec.axis_title, 12, "middle",
             "transform=\"rotate(-90 16 " + svg_number(mid) + ")\"");

    // Floors: reference lines, named at the right end, values in the notes.
    std::vector<double> label_ys;
    for (const auto& f : p.floors)
      label_ys.push_back(y_of(f.value) + 4);
    label_ys = spread(label_ys, 11, plot_top + 4, bottom + 4);
    double note_y = bottom + 58;
    for (std::size_t i = 0; i < p.floors.size(); ++i) {
      const auto& f = p.floors[i];
      svg.line(workers_margin_left, y_of(f.value), workers_margin_left + plot_width, y_of(f.value),
               floor_stroke(f.new_connection));
      svg.text(workers_margin_left + plot_width + 4, label_ys[i], f.name, 10, "start");
      svg.text(
          workers_margin_left, note_y,
          f.name + " " + spec.floor_note + ": " + spec.tick(f.value) +
              (time ? ", the least a round can take" : " (raw sockets and epoll: for reference)"),
          11, "start");
      note_y += 16;
    }
    for (const auto& note : p.notes) {
      svg.text(workers_margin_left, note_y, note, 11, "start",
               std::string("fill=\"") + failure_colour + "\" font-style=\"italic\"");
      note_y += 16;
    }
    if (p.ideal.size() > 1) {
      std::string path;
      for (const auto& [w, seconds] : p.ideal)
        append_point(path, x_of(w), y_of(seconds));
      svg.polyline(path, std::string("fill=\"none\" ") + ideal_stroke());
    }
    for (const auto& [name, s] : p.lines) {
      const std::string stroke = "stroke=\"" + s.style.chart.colour + "\"";
      std::string path;
      for (const auto& [w, pt] : s.points)
        append_point(path, x_of(w), y_of(pt.value));
      if (s.points.size() > 1)
        svg.polyline(path, "fill=\"none\" " + series_stroke(s.style));
      for (const auto& [w, pt] : s.points) {
        if (pt.interval) {
          svg.line(x_of(w), y_of(pt.interval->low), x_of(w), y_of(pt.interval->high),
                   stroke + " stroke-width=\"1.5\"");
          for (double end : {pt.interval->low, pt.interval->high})
            svg.line(x_of(w) - 4, y_of(end), x_of(w) + 4, y_of(end),
                     stroke + " stroke-width=\"1.5\"");
        }
        draw_point(svg, x_of(w), y_of(pt.value), s.style);
        draw_bound(svg, x_of(w), y_of(pt.value), pt.bound);
      }
    }
    panel_top += panel_height(p);
  }
  legend.draw(svg, workers_margin_left, panel_top + 4, spec.points_note);
  return svg.finish();
}

}  // namespace poolbench::report
