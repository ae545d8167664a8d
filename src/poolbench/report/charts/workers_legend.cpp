#include <poolbench/report/charts/workers_legend.hpp>

#include <algorithm>

namespace poolbench::report {
namespace {

constexpr double line_height = 18;

}  // namespace

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
static std::string wakeup_cross(double x, double y) {
  return svg_number(x - 8) + "," + svg_number(y - 8) + " " + svg_number(x + 8) + "," +
         svg_number(y + 8) + " " + svg_number(x) + "," + svg_number(y) + " " + svg_number(x + 8) +
         "," + svg_number(y - 8) + " " + svg_number(x - 8) + "," + svg_number(y + 8);
}

void draw_bound(svg_canvas& svg, double x, double y, bottleneck b) {
  const char* mark = "fill=\"none\" stroke=\"black\" stroke-width=\"1.5\"";
  if (server_side_bound(b))
    svg.circle(x, y, 8, mark);
  if (client_side_bound(b))
    svg.rect(x - 10, y - 10, 20, 20, mark);
  if (wakeup_side_bound(b))  // a cross: the machine, not a side, decided the round
    svg.polyline(wakeup_cross(x, y), mark);
}

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

}  // namespace poolbench::report
