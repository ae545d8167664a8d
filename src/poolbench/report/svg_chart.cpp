#include <poolbench/report/svg_chart.hpp>

#include <poolbench/report/units.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace poolbench::report {
namespace {

constexpr double chart_width = 760;
constexpr double margin_right = 30;
constexpr const char* font = "font-family=\"DejaVu Sans, Arial, sans-serif\"";

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", v);
  return buffer;
}

std::string escape(const std::string& text) {
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

// A round step (1, 2 or 5 times a power of ten) giving about five ticks.
double tick_step(double max) {
  if (!(max > 0))
    return 1;
  const double raw = max / 5;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * power)
      return m * power;
  }
  return 10 * power;
}

std::string tick_label(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", std::round(v * 1e6) / 1e6);
  return buffer;
}

// The colour of a strategy, so every chart uses the same one for it.
const char* colour_of(const std::string& series) {
  if (series.rfind("serial", 0) == 0)
    return "#555555";
  if (series.rfind("thread_pool", 0) == 0)
    return "#1f77b4";
  if (series.rfind("process_pool", 0) == 0)
    return "#ff7f0e";
  if (series.rfind("async_pool", 0) == 0)
    return "#2ca02c";
  static const char* others[] = {"#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"};
  std::size_t h = 0;
  for (char c : series)
    h = h * 31 + static_cast<unsigned char>(c);
  return others[h % 5];
}

bool is_cold(const std::string& series) {
  return series.find("/cold") != std::string::npos;
}

// What decides a mark's colour and fill: "strategy/mode" when the benchmark
// has those parameters (poolbench names, and the Python reference's
// extra_info), so both languages' async pools look alike; else the name.
std::string style_key(const benchmark_result& r) {
  const auto strategy = r.params.find("strategy");
  const auto mode = r.params.find("mode");
  if (strategy == r.params.end())
    return r.name;
  return strategy->second + "/" + (mode == r.params.end() ? std::string() : mode->second);
}

std::string header(double height, const std::string& title) {
  std::ostringstream out;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << num(chart_width) << "\" height=\""
      << num(height) << "\" viewBox=\"0 0 " << num(chart_width) << ' ' << num(height) << "\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << num(chart_width / 2)
      << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" " << font << ">" << escape(title)
      << "</text>\n";
  return out.str();
}

std::string without_workers(const std::string& name) {
  std::string out;
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto slash = std::min(name.find('/', start), name.size());
    const auto part = name.substr(start, slash - start);
    if (part.rfind("workers:", 0) != 0) {
      if (!out.empty())
        out += '/';
      out += part;
    }
    start = slash + 1;
  }
  return out;
}

}  // namespace

std::string whisker_chart(const std::vector<benchmark_result>& all, const std::string& title) {
  std::vector<const benchmark_result*> rows;
  for (const auto& r : all) {
    if (std::isfinite(r.stats.mean))
      rows.push_back(&r);
  }
  double max = 0, label_chars = 10;
  for (const auto* r : rows) {
    max = std::max({max, r->stats.mean, std::isfinite(r->stats.max) ? r->stats.max : 0.0});
    label_chars = std::max(label_chars, static_cast<double>(r->name.size()));
  }
  const auto unit = time_scale_for(max);
  const double step = tick_step(max * unit.factor);
  const double axis_max = std::max(step, std::ceil(max * unit.factor / step) * step);
  const double left = std::min(420.0, 12 + label_chars * 6.6), top = 40, row_height = 24;
  const double plot_width = chart_width - left - margin_right;
  const double height = top + row_height * static_cast<double>(rows.size()) + 50;
  const double bottom = top + row_height * static_cast<double>(rows.size());
  auto x_of = [&](double seconds) { return left + seconds * unit.factor / axis_max * plot_width; };

  std::ostringstream out;
  out << header(height, title);
  for (double t = 0; t <= axis_max + step / 2; t += step) {
    const double x = left + t / axis_max * plot_width;
    out << "<line x1=\"" << num(x) << "\" y1=\"" << num(top) << "\" x2=\"" << num(x) << "\" y2=\""
        << num(bottom) << "\" stroke=\"#dddddd\"/>\n"
        << "<text x=\"" << num(x) << "\" y=\"" << num(bottom + 16) << "\" text-anchor=\"middle\" "
        << "font-size=\"11\" " << font << ">" << tick_label(t) << "</text>\n";
  }
  out << "<text x=\"" << num(left + plot_width / 2) << "\" y=\"" << num(bottom + 36)
      << "\" text-anchor=\"middle\" font-size=\"12\" " << font << ">time per round (" << unit.prefix
      << "s): mean, whiskers min to max</text>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& s = rows[i]->stats;
    const double y = top + row_height * (static_cast<double>(i) + 0.5);
    const std::string style = style_key(*rows[i]);
    const char* colour = colour_of(style);
    out << "<text x=\"" << num(left - 8) << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\" "
        << "font-size=\"11\" " << font << ">" << escape(rows[i]->name) << "</text>\n";
    if (std::isfinite(s.min) && std::isfinite(s.max)) {
      out << "<line x1=\"" << num(x_of(s.min)) << "\" y1=\"" << num(y) << "\" x2=\""
          << num(x_of(s.max)) << "\" y2=\"" << num(y) << "\" stroke=\"" << colour
          << "\" stroke-width=\"2\"/>\n";
      for (double end : {s.min, s.max}) {
        out << "<line x1=\"" << num(x_of(end)) << "\" y1=\"" << num(y - 6) << "\" x2=\""
            << num(x_of(end)) << "\" y2=\"" << num(y + 6) << "\" stroke=\"" << colour
            << "\" stroke-width=\"2\"/>\n";
      }
    }
    out << "<circle cx=\"" << num(x_of(s.mean)) << "\" cy=\"" << num(y) << "\" r=\"5\" fill=\""
        << (is_cold(style) ? "white" : colour) << "\" stroke=\"" << colour
        << "\" stroke-width=\"2\"/>\n";
  }
  out << "</svg>\n";
  return out.str();
}

std::string workers_chart(const std::vector<benchmark_result>& all, const std::string& title) {
  // series → (workers → mean seconds)
  std::map<std::string, std::map<double, double>> series;
  std::map<std::string, std::string> styles;  // series → style_key
  double max_time = 0, max_workers = 1;
  for (const auto& r : all) {
    const auto w = r.params.find("workers");
    if (w == r.params.end() || !std::isfinite(r.stats.mean))
      continue;
    char* end = nullptr;
    const double workers = std::strtod(w->second.c_str(), &end);
    if (*end != '\0' || !std::isfinite(workers))
      continue;
    series[without_workers(r.name)][workers] = r.stats.mean;
    styles[without_workers(r.name)] = style_key(r);
    max_time = std::max(max_time, r.stats.mean);
    max_workers = std::max(max_workers, workers);
  }
  if (series.empty())
    return "";
  const auto unit = time_scale_for(max_time);
  const double y_step = tick_step(max_time * unit.factor);
  const double y_max = std::max(y_step, std::ceil(max_time * unit.factor / y_step) * y_step);
  const double x_step = std::max(1.0, tick_step(max_workers));
  const double x_max = std::max(x_step, std::ceil(max_workers / x_step) * x_step);
  const double left = 70, top = 40, plot_height = 300;
  const double legend_top = top + plot_height + 55;
  const double height = legend_top + 18 * static_cast<double>(series.size()) + 10;
  const double plot_width = chart_width - left - margin_right;
  auto x_of = [&](double workers) { return left + workers / x_max * plot_width; };
  auto y_of = [&](double seconds) {
    return top + plot_height - seconds * unit.factor / y_max * plot_height;
  };

  std::ostringstream out;
  out << header(height, title);
  for (double t = 0; t <= y_max + y_step / 2; t += y_step) {
    const double y = top + plot_height - t / y_max * plot_height;
    out << "<line x1=\"" << num(left) << "\" y1=\"" << num(y) << "\" x2=\""
        << num(left + plot_width) << "\" y2=\"" << num(y) << "\" stroke=\"#dddddd\"/>\n"
        << "<text x=\"" << num(left - 6) << "\" y=\"" << num(y + 4) << "\" text-anchor=\"end\" "
        << "font-size=\"11\" " << font << ">" << tick_label(t) << "</text>\n";
  }
  for (double w = 0; w <= x_max + x_step / 2; w += x_step) {
    out << "<text x=\"" << num(x_of(w)) << "\" y=\"" << num(top + plot_height + 16)
        << "\" text-anchor=\"middle\" font-size=\"11\" " << font << ">" << tick_label(w)
        << "</text>\n";
  }
  out << "<line x1=\"" << num(left) << "\" y1=\"" << num(top + plot_height) << "\" x2=\""
      << num(left + plot_width) << "\" y2=\"" << num(top + plot_height)
      << "\" stroke=\"#888888\"/>\n"
      << "<text x=\"" << num(left + plot_width / 2) << "\" y=\"" << num(top + plot_height + 36)
      << "\" text-anchor=\"middle\" font-size=\"12\" " << font << ">workers</text>\n"
      << "<text x=\"16\" y=\"" << num(top + plot_height / 2) << "\" text-anchor=\"middle\" "
      << "font-size=\"12\" " << font << " transform=\"rotate(-90 16 " << num(top + plot_height / 2)
      << ")\">mean time per round (" << unit.prefix << "s)</text>\n";
  double legend_y = legend_top;
  for (const auto& [name, points] : series) {
    const char* colour = colour_of(styles[name]);
    const char* dash = is_cold(styles[name]) ? " stroke-dasharray=\"6 4\"" : "";
    std::string path;
    for (const auto& [workers, mean] : points) {
      if (!path.empty())
        path += ' ';
      path += num(x_of(workers));
      path += ',';
      path += num(y_of(mean));
    }
    out << "<polyline points=\"" << path << "\" fill=\"none\" stroke=\"" << colour
        << "\" stroke-width=\"2\"" << dash << "/>\n";
    for (const auto& [workers, mean] : points) {
      out << "<circle cx=\"" << num(x_of(workers)) << "\" cy=\"" << num(y_of(mean))
          << "\" r=\"4\" fill=\"" << colour << "\"/>\n";
    }
    out << "<line x1=\"" << num(left) << "\" y1=\"" << num(legend_y - 4) << "\" x2=\""
        << num(left + 28) << "\" y2=\"" << num(legend_y - 4) << "\" stroke=\"" << colour
        << "\" stroke-width=\"2\"" << dash << "/>\n<text x=\"" << num(left + 36) << "\" y=\""
        << num(legend_y) << "\" font-size=\"11\" " << font << ">" << escape(name) << "</text>\n";
    legend_y += 18;
  }
  out << "</svg>\n";
  return out.str();
}

}  // namespace poolbench::report
