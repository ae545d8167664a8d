// The time-per-round chart: a box plot per benchmark with the repetitions'
// interval of the mean (see svg_chart.hpp).

#include <poolbench/report/charts/svg_chart.hpp>

#include <poolbench/report/charts/chart_parts.hpp>
#include <poolbench/report/claims/bottleneck.hpp>
#include <poolbench/report/tables/layout.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace poolbench::report {
namespace {

constexpr double chart_width = 760;
constexpr double margin_right = 44;  // room for "+N" past the axis' end
constexpr double top_base = 46;      // below the title; more for floor labels
constexpr double row_height = 28;
constexpr double char_width = 6.6;  // of 11 px DejaVu Sans, roughly

// What one row draws, in seconds.
struct box_row {
  std::string label;
  chart_style style;
  std::string failure;  // non-empty: only this note is drawn
  double centre = NAN;  // the median, or the mean when there is no median
  double q1 = NAN, q3 = NAN;
  double whisker_low = NAN, whisker_high = NAN;
  std::vector<double> outliers;
  std::optional<mean_interval> interval;
};

box_row row_of(const benchmark_result& r, std::string label) {
  box_row row;
  row.label = std::move(label);
  // What bounded the case, as the tables say it beside the name.
  if (const auto mark = bottleneck_mark(bottleneck_of(r)); !mark.empty())
    row.label += " (" + std::string(mark) + ")";
  row.style = style_of(r);
  row.failure = failure_text(r);
  if (r.failed())
    return row;
  const auto& s = r.stats;
  row.centre = std::isfinite(s.median) ? s.median : s.mean;
  row.interval = repetition_interval(r);
  if (!std::isfinite(s.q1) || !std::isfinite(s.q3))
    return row;
  row.q1 = s.q1;
  row.q3 = s.q3;
  const double low_fence = s.q1 - 1.5 * s.iqr, high_fence = s.q3 + 1.5 * s.iqr;
  for (double v : r.samples) {
    if (!std::isfinite(v))
      continue;
    if (v < low_fence || v > high_fence) {
      row.outliers.push_back(v);
      continue;
    }
    row.whisker_low = std::isnan(row.whisker_low) ? v : std::min(row.whisker_low, v);
    row.whisker_high = std::isnan(row.whisker_high) ? v : std::max(row.whisker_high, v);
  }
  return row;
}

// The least and most of what is drawn (outliers aside): the axis' span.
struct extent {
  double low = INFINITY, high = 0;
  void add(double v) {
    if (std::isfinite(v) && v > 0) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  }
};

// What the rows drew, so the key names nothing else.
struct drawn {
  bool boxes = false, intervals = false, outliers = false, beyond = false;
};

// The key under the axis: what the box, the interval, the dots and the
// "+N" counts mean, each only when some row draws it.
void draw_key(svg_canvas& svg, double y, const drawn& d) {
  double x = 20;
  auto advance = [&](const std::string& text) {
    x += 28 + static_cast<double>(text.size()) * 5.6 + 14;
  };
  if (d.boxes) {
    svg.rect(x, y - 9, 22, 10, "fill=\"#888888\" fill-opacity=\"0.3\" stroke=\"#888888\"");
    svg.line(x + 12, y - 9, x + 12, y + 1, "stroke=\"#888888\" stroke-width=\"2.5\"");
    const std::string text = "rounds: median in the middle half (box); whiskers to 1.5 IQR";
    svg.text(x + 28, y, text, 10, "start");
    advance(text);
  } else {
    svg.line(x + 12, y - 9, x + 12, y + 1, "stroke=\"#888888\" stroke-width=\"2.5\"");
    const std::string text = "median round (or mean: no rounds in the file)";
    svg.text(x + 28, y, text, 10, "start");
    advance(text);
  }
  if (d.intervals) {
    svg.line(x, y - 4, x + 22, y - 4, "stroke=\"black\" stroke-width=\"1.5\"");
    svg.circle(x + 11, y - 4, 2.5, "fill=\"black\"");
    const std::string text = "mean, 95 % interval over repetitions";
    svg.text(x + 28, y, text, 10, "start");
    advance(text);
  }
  if (d.outliers) {
    svg.circle(x + 4, y - 4, 2, "fill=\"#888888\" fill-opacity=\"0.4\"");
    svg.text(x + 12, y, "outlier rounds", 10, "start");
  }
  if (d.beyond) {
    svg.text(20, y + 16, "+N", 9, "start", "fill=\"#777777\"");
    svg.text(40, y + 16, "at the right end: N outlier rounds beyond the axis, not drawn", 10,
             "start");
  }
}

// Floor labels over the plot: each on the first line where it overlaps no
// other, kept inside the chart's width. Returns each label's line (0 =
// nearest the plot) and, through `lines`, how many lines there are.
std::vector<std::size_t> label_lines(const std::vector<std::pair<double, double>>& spans,
                                     std::size_t& lines) {
  std::vector<std::vector<std::pair<double, double>>> taken;
  std::vector<std::size_t> out;
  for (const auto& [from, to] : spans) {
    std::size_t line = 0;
    for (; line < taken.size(); ++line) {
      if (std::none_of(taken[line].begin(), taken[line].end(),
                       [from = from, to = to](const auto& t) {
                         return from < t.second + 8 && to + 8 > t.first;
                       }))
        break;
    }
    if (line == taken.size())
      taken.emplace_back();
    taken[line].emplace_back(from, to);
    out.push_back(line);
  }
  lines = taken.size();
  return out;
}

}  // namespace

std::string whisker_chart(const std::vector<benchmark_result>& all, const std::string& title,
                          const std::vector<std::string>& labels) {
  std::vector<box_row> rows;
  struct reference {
    std::string label;
    double seconds;
    std::string colour;
  };
  std::vector<reference> floors;  // and serial, when pools are compared
  std::vector<std::string> floor_failures;
  extent span;
  // With two pools or more the chart compares pools: serial becomes a
  // reference line like the floor and leaves the axis to them, so four pools
  // at 36-42 ms are not squeezed against serial at 258 ms (a line beyond the
  // axis stands at its end, its label saying so).
  const auto pools = std::count_if(all.begin(), all.end(), [](const benchmark_result& r) {
    return r.workload && results::has_pool(r.workload->strategy) && !r.failed();
  });
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& r = all[i];
    auto row = row_of(r, chart_label(all, labels, i));
    if (row.failure.empty() && !std::isfinite(row.centre))
      continue;  // nothing to draw
    const bool serial_line =
        pools >= 2 && r.workload && r.workload->strategy == results::strategy::serial;
    if ((is_floor(r) || serial_line) && row.failure.empty()) {
      floors.push_back({row.label, row.centre, serial_line ? row.style.colour : floor_colour});
      if (!serial_line)
        span.add(row.centre);
      continue;
    }
    for (double v : {row.centre, row.q1, row.q3, row.whisker_low, row.whisker_high})
      span.add(v);
    if (row.interval) {
      span.add(row.interval->low);
      span.add(row.interval->high);
    }
    rows.push_back(std::move(row));
  }
  const auto axis = std::isfinite(span.low) ? chart_axis::for_span(span.low, span.high)
                                            : chart_axis::linear(1e-3);

  double label_chars = 10;
  for (const auto& row : rows)
    label_chars = std::max(label_chars, static_cast<double>(row.label.size()));
  const double left = std::min(420.0, 14 + label_chars * char_width);
  const double plot_width = chart_width - left - margin_right;
  auto x_of = [&](double seconds) {
    return left + std::clamp(axis.fraction(seconds), 0.0, 1.0) * plot_width;
  };
  // Each floor's label says which statistic it is (the bars' median, as the
  // workers chart says its mean), on as many lines as keep them apart.
  std::vector<std::string> floor_texts;
  std::vector<std::pair<double, double>> floor_spans;  // x from, to
  for (const auto& [label, seconds, colour] : floors) {
    floor_texts.push_back(label + " median " + time_label(seconds) +
                          (axis.fraction(seconds) > 1 ? " (beyond the axis)" : ""));
    const double w = static_cast<double>(floor_texts.back().size()) * 5.4;
    const double from = std::clamp(x_of(seconds) - w / 2, 4.0, chart_width - 4 - w);
    floor_spans.emplace_back(from, from + w);
  }
  std::size_t floor_lines = 0;
  const auto floor_line_of = label_lines(floor_spans, floor_lines);
  const double top = top_base + 11.0 * static_cast<double>(floor_lines > 0 ? floor_lines - 1 : 0);
  const double bottom =
      top + row_height * static_cast<double>(std::max<std::size_t>(rows.size(), 1));
  drawn d;
  for (const auto& row : rows) {
    d.boxes |= std::isfinite(row.q1);
    d.intervals |= row.interval.has_value();
    for (double v : row.outliers) {
      const double f = axis.fraction(v);
      d.beyond |= f > 1;
      d.outliers |= f >= 0 && f <= 1;
    }
  }
  const double height = bottom + 74 + (d.beyond ? 16 : 0);

  svg_canvas svg(chart_width, height, title);
  for (double t : axis.ticks()) {
    svg.line(x_of(t), top, x_of(t), bottom, "stroke=\"#dddddd\"");
    svg.text(x_of(t), bottom + 16, time_label(t), 11, "middle");
  }
  svg.text(left + plot_width / 2, bottom + 36,
           std::string("time per round") + (axis.logarithmic() ? " (log scale)" : ""), 12,
           "middle");
  draw_key(svg, bottom + 60, d);
  for (std::size_t i = 0; i < floors.size(); ++i) {
    const double seconds = floors[i].seconds;
    const double label_y = top - 8 - 11.0 * static_cast<double>(floor_line_of[i]);
    svg.line(x_of(seconds), label_y + 4, x_of(seconds), bottom,
             std::string("stroke=\"") + floors[i].colour +
                 "\" stroke-width=\"1.5\" "
                 "stroke-dasharray=\"5 3\"");
    svg.text(floor_spans[i].first, label_y, floor_texts[i], 10, "start");
  }

  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const double y = top + row_height * (static_cast<double>(i) + 0.5);
    svg.text(left - 8, y + 4, row.label, 11, "end");
    if (!row.failure.empty()) {
      svg.text(left + 6, y + 4, row.failure, 11, "start",
               std::string("fill=\"") + failure_colour + "\" font-style=\"italic\"");
      continue;
    }
    const std::string colour = row.style.colour;
    const std::string stroke = "stroke=\"" + colour + "\"";
    const double box_y = y - 10, box_h = 12, mid = box_y + box_h / 2;
    std::set<long> dots;  // one per half pixel: thousands of rounds stay small
    std::size_t beyond = 0;
    for (double v : row.outliers) {
      const double f = axis.fraction(v);
      if (f > 1) {
        ++beyond;
      } else if (f >= 0 && dots.insert(std::lround(x_of(v) * 2)).second) {
        svg.circle(x_of(v), mid, 1.8, "fill=\"" + colour + "\" fill-opacity=\"0.3\"");
      }
    }
    if (beyond > 0) {
      std::string count = "+";
      count += std::to_string(beyond);
      svg.text(left + plot_width + 4, mid + 3, count, 9, "start", "fill=\"#777777\"");
    }
    if (std::isfinite(row.whisker_low)) {
      svg.line(x_of(row.whisker_low), mid, x_of(row.q1), mid, stroke);
      svg.line(x_of(row.q3), mid, x_of(row.whisker_high), mid, stroke);
      for (double end : {row.whisker_low, row.whisker_high})
        svg.line(x_of(end), mid - 4, x_of(end), mid + 4, stroke);
    }
    if (std::isfinite(row.q1)) {
      svg.rect(x_of(row.q1), box_y, std::max(1.0, x_of(row.q3) - x_of(row.q1)), box_h,
               stroke + (row.style.cold ? " fill=\"white\" stroke-dasharray=\"3 2\""
                                        : " fill=\"" + colour + "\" fill-opacity=\"0.3\""));
    }
    svg.line(x_of(row.centre), box_y - 1, x_of(row.centre), box_y + box_h + 1,
             stroke + " stroke-width=\"2.5\"");
    if (row.interval) {
      const double ci_y = y + 7;
      const auto& ci = *row.interval;
      svg.line(x_of(ci.low), ci_y, x_of(ci.high), ci_y, "stroke=\"black\" stroke-width=\"1.5\"");
      for (double end : {ci.low, ci.high})
        svg.line(x_of(end), ci_y - 3, x_of(end), ci_y + 3, "stroke=\"black\" stroke-width=\"1.5\"");
      svg.circle(x_of(ci.mean), ci_y, 2.5, "fill=\"black\"");
    }
  }
  return svg.finish();
}

}  // namespace poolbench::report
