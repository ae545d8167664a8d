#include <poolbench/report/charts/chart_parts.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/stats_names.hpp>
#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::report {

std::string svg_number(double v) {
  return formatted("%.1f", v);
}

void append_point(std::string& path, double x, double y) {
  if (!path.empty())
    path += ' ';
  path += svg_number(x);
  path += ',';
  path += svg_number(y);
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

namespace {

constexpr std::size_t max_log_ticks = 10;

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

}  // namespace

chart_axis::chart_axis(double low, double high, bool log, std::vector<double> ticks)
    : low_(low), high_(high), log_(log), ticks_(std::move(ticks)) {}

chart_axis chart_axis::linear(double max) {
  const double step = tick_step(max);
  const double high = std::max(step, std::ceil(max / step - 1e-9) * step);
  std::vector<double> ticks;
  for (double i = 0; i * step <= high + step / 2; i += 1)
    ticks.push_back(i * step);
  return {0, high, false, ticks};
}

chart_axis chart_axis::logarithmic(double min, double max) {
  // The data's own span, a little wider: round ends would waste up to half
  // of the plot (4.5 to 10.6 ms drawn from 2 to 20 ms).
  const double pad = std::max(1.08, std::pow(max / min, 0.05));
  const double low = min / pad, high = max * pad;
  auto inside = [&](const std::vector<double>& mantissa_set) {
    std::vector<double> ticks;
    for (int k = static_cast<int>(std::floor(std::log10(low))) - 1;
         k <= static_cast<int>(std::ceil(std::log10(high))); ++k) {
      for (double m : mantissa_set) {
        const double v = m * std::pow(10.0, k);
        if (v >= low && v <= high)
          ticks.push_back(v);
      }
    }
    return ticks;
  };
  // A narrow span gets finer marks, as few as still give three.
  auto ticks = inside({1, 2, 5});
  if (ticks.size() < 3)
    ticks = inside({1, 2, 3, 5});
  if (ticks.size() < 3)
    ticks = inside({1, 2, 3, 4, 5, 6, 7, 8, 9});
  if (ticks.size() > max_log_ticks)
    ticks = inside({1});  // many decades: whole ones only
  return {low, high, true, ticks};
}

chart_axis chart_axis::logarithmic_at(std::vector<double> ticks) {
  std::sort(ticks.begin(), ticks.end());
  ticks.erase(std::unique(ticks.begin(), ticks.end()), ticks.end());
  double low = ticks.front(), high = ticks.back();
  // A little room beyond the outermost marks, so points are not on the frame.
  const double pad = high > low ? std::pow(high / low, 0.04) : 2.0;
  return {low / pad, high * pad, true, ticks};
}

chart_axis chart_axis::for_span(double min, double max) {
  if (min > 0 && max / min > 10)
    return logarithmic(min, max);
  return linear(max);
}

double chart_axis::fraction(double value) const {
  if (log_) {
    if (!(value > 0))
      return -1;
    return (std::log(value) - std::log(low_)) / (std::log(high_) - std::log(low_));
  }
  return high_ > low_ ? (value - low_) / (high_ - low_) : 0;
}

std::string time_label(double seconds) {
  if (seconds == 0)
    return "0";
  const auto unit = time_scale_for(seconds);
  const char* prefix = unit.prefix == "u" ? "µ" : unit.prefix.c_str();
  return formatted("%g %ss", std::round(seconds * unit.factor * 1e6) / 1e6, prefix);
}

std::string count_label(double value) {
  return formatted("%g", value);
}

namespace {

std::string first_part(const std::string& name) {
  return name.substr(0, name.find('/'));
}

}  // namespace

const char* strategy_colour(const std::string& strategy) {
  if (strategy == "serial")
    return "#555555";
  if (strategy == "thread_pool")
    return "#1f77b4";
  if (strategy == "process_pool")
    return "#ff7f0e";
  if (strategy == "async_pool")
    return "#2ca02c";
  // Anything else: a stable pick by name, so it too keeps its colour.
  static const char* others[] = {"#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"};
  std::size_t h = 0;
  for (char c : strategy)
    h = h * 31 + static_cast<unsigned char>(c);
  return others[h % std::size(others)];
}

chart_style style_of(const benchmark_result& r) {
  const auto strategy = r.params.find("strategy");
  const auto mode = r.params.find("mode");
  if (strategy == r.params.end())
    return {strategy_colour(first_part(r.name)), r.name.find("/cold") != std::string::npos};
  return {strategy_colour(strategy->second), mode != r.params.end() && mode->second == "cold"};
}

std::string chart_label(const std::vector<benchmark_result>& rows,
                        const std::vector<std::string>& labels, std::size_t i) {
  return labels.size() == rows.size() ? labels[i] : rows[i].name;
}

bool is_floor(const benchmark_result& r) {
  return first_part(r.name) == "floor" && r.params.find("mode") == r.params.end();
}

std::optional<mean_interval> repetition_interval(const benchmark_result& r) {
  if (r.failed())
    return std::nullopt;
  double n = 0, sum = 0;
  for (double m : r.repetition_means) {
    if (std::isfinite(m)) {
      n += 1;
      sum += m;
    }
  }
  if (n < 2)
    return std::nullopt;
  const double mean = sum / n;
  double squares = 0;
  for (double m : r.repetition_means) {
    if (std::isfinite(m))
      squares += (m - mean) * (m - mean);
  }
  const double sd = std::sqrt(squares / (n - 1));
  const auto count = static_cast<std::size_t>(n);
  const double half = student_t_quantile(0.975, static_cast<double>(count - 1)) * sd / std::sqrt(n);
  return mean_interval{mean, mean - half, mean + half, count};
}

}  // namespace poolbench::report
