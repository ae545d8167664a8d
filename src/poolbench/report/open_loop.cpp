#include <poolbench/report/open_loop.hpp>

#include <poolbench/report/chart_style.hpp>
#include <poolbench/report/errors.hpp>
#include <poolbench/report/svg_canvas.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <map>
#include <regex>
#include <sstream>

namespace poolbench::report {
namespace {

using json = nlohmann::ordered_json;

double number(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string ms(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer,
                seconds < 0.01 ? "%.3f"
                : seconds < 1  ? "%.2f"
                               : "%.0f",
                seconds * 1e3);
  return buffer;
}

std::string rate_text(double rate) {
  std::ostringstream out;
  out << std::round(rate * 10) / 10;
  return out.str();
}

// Points of one workload, by strategy, rates ascending.
std::map<std::string, std::map<std::string, std::vector<open_loop_point>>> grouped(
    const std::vector<open_loop_point>& points) {
  std::map<std::string, std::map<std::string, std::vector<open_loop_point>>> out;
  for (const auto& p : points)
    out[open_loop_workload(p)][p.strategy].push_back(p);
  for (auto& [workload, strategies] : out) {
    for (auto& [strategy, list] : strategies) {
      std::sort(list.begin(), list.end(),
                [](const auto& a, const auto& b) { return a.offered_rate < b.offered_rate; });
    }
  }
  return out;
}

// "async_pool 1400 req/s; thread_pool 1100 req/s; process_pool below the
// lowest rate", the pools that hold the most first.
std::string saturation_text(const std::map<std::string, std::vector<open_loop_point>>& strategies,
                            double slo) {
  std::vector<std::pair<double, std::string>> held;
  for (const auto& [strategy, list] : strategies) {
    const auto rate = saturation_rate(list, slo);
    held.emplace_back(rate.value_or(-1), strategy + " " +
                                             (rate ? "up to " + rate_text(*rate) + " req/s"
                                                   : "not even at the lowest rate"));
  }
  std::stable_sort(held.begin(), held.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string text;
  for (const auto& [rate, words] : held) {
    text.append(text.empty() ? "" : "; ");
    text.append(words);
  }
  return text;
}

}  // namespace

std::string open_loop_workload(const open_loop_point& p) {
  return "workers:" + std::to_string(p.workers) + " delay_ms:" + std::to_string(p.delay_ms) +
         " keepalive:" + (p.keepalive ? "1" : "0");
}

std::vector<open_loop_point> load_open_loop(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw input_error(path + ": cannot read");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    throw input_error(path + ": not JSON: " + e.what());
  }
  return open_loop_points(doc);
}

std::vector<open_loop_point> open_loop_points(const json& doc) {
  static const std::regex name_re(
      R"(([a-z_]+)/warm/open/rate:([0-9.]+)/workers:(\d+)/delay_ms:(\d+)(/keepalive:1)?)");
  std::vector<open_loop_point> out;
  if (!doc.contains("benchmarks") || !doc["benchmarks"].is_array())
    return out;
  for (const auto& run : doc["benchmarks"]) {
    const std::string name = run.value("run_name", run.value("name", ""));
    std::smatch m;
    if (run.value("run_type", "iteration") != "iteration" || !std::regex_match(name, m, name_re))
      continue;
    open_loop_point p;
    p.name = name;
    p.strategy = m[1];
    p.offered_rate = std::stod(m[2]);
    p.workers = std::stoul(m[3]);
    p.delay_ms = static_cast<unsigned>(std::stoul(m[4]));
    p.keepalive = m[5].matched;
    if (run.value("error_occurred", false)) {
      p.error = run.value("error_message", std::string("error_occurred"));
      out.push_back(p);
      continue;
    }
    const auto& ol = run.contains("open_loop") ? run["open_loop"] : json::object();
    const auto& lat = ol.contains("latency_s") ? ol["latency_s"] : json::object();
    p.achieved_rate = number(ol, "achieved_rate");
    p.requests = static_cast<std::size_t>(number(ol, "requests"));
    p.incomplete = static_cast<std::size_t>(number(ol, "incomplete"));
    p.p50 = number(lat, "p50");
    p.p90 = number(lat, "p90");
    p.p99 = number(lat, "p99");
    p.p999 = number(lat, "p999");
    p.max = number(lat, "max");
    out.push_back(p);
  }
  return out;
}

double default_slo_s(unsigned delay_ms) {
  return delay_ms > 0 ? 10.0 * delay_ms * 1e-3 : 5e-3;
}

std::optional<double> saturation_rate(std::vector<open_loop_point> points, double slo_s) {
  std::sort(points.begin(), points.end(),
            [](const auto& a, const auto& b) { return a.offered_rate < b.offered_rate; });
  std::optional<double> held;
  for (const auto& p : points) {
    if (!p.error.empty() || p.incomplete > 0 || !(p.p99 <= slo_s))
      break;
    held = p.offered_rate;
  }
  return held;
}

void print_open_loop_tables(std::ostream& out, const std::vector<open_loop_point>& points,
                            std::optional<double> slo_s, bool markdown) {
  for (const auto& [workload, strategies] : grouped(points)) {
    const auto& any = strategies.begin()->second.front();
    const double slo = slo_s.value_or(default_slo_s(any.delay_ms));
    if (markdown) {
      out << "#### Open loop, " << workload << "\n\n"
          << "| Strategy | Offered req/s | Achieved req/s | p50 ms | p90 ms | p99 ms | p99.9 ms "
             "| max ms | Incomplete |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    } else {
      out << "--- open loop: " << workload << " (latency from intended send time, ms) ---\n"
          << std::left << std::setw(14) << "Strategy" << std::right << std::setw(9) << "Offered"
          << std::setw(10) << "Achieved" << std::setw(10) << "p50" << std::setw(10) << "p90"
          << std::setw(10) << "p99" << std::setw(10) << "p99.9" << std::setw(10) << "max"
          << std::setw(12) << "Incomplete"
          << "\n";
    }
    for (const auto& [strategy, list] : strategies) {
      for (const auto& p : list) {
        if (!p.error.empty()) {
          if (markdown)
            out << "| " << strategy << " | " << rate_text(p.offered_rate)
                << " | failed: " << p.error << " ||||||||\n";
          else
            out << std::left << std::setw(14) << strategy << std::right << std::setw(9)
                << rate_text(p.offered_rate) << "  failed: " << p.error << "\n";
          continue;
        }
        const std::string cells[] = {
            rate_text(p.achieved_rate),  ms(p.p50), ms(p.p90), ms(p.p99), ms(p.p999), ms(p.max),
            std::to_string(p.incomplete)};
        if (markdown) {
          out << "| " << strategy << " | " << rate_text(p.offered_rate);
          for (const auto& c : cells)
            out << " | " << c;
          out << " |\n";
        } else {
          out << std::left << std::setw(14) << strategy << std::right << std::setw(9)
              << rate_text(p.offered_rate) << std::setw(10) << cells[0];
          for (std::size_t i = 1; i < 6; ++i)
            out << std::setw(10) << cells[i];
          out << std::setw(12) << cells[6] << "\n";
        }
      }
    }
    out << (markdown ? "\n" : "") << "Saturation (highest offered rate with p99 <= " << ms(slo)
        << " ms and every request answered): " << saturation_text(strategies, slo) << "\n\n";
  }
}

void write_saturation_summary(std::ostream& out, const std::vector<open_loop_point>& points,
                              std::optional<double> slo_s) {
  for (const auto& [workload, strategies] : grouped(points)) {
    const double slo = slo_s.value_or(default_slo_s(strategies.begin()->second.front().delay_ms));
    out << "- " << workload << ", p99 within " << ms(slo)
        << " ms: " << saturation_text(strategies, slo) << "\n";
  }
  out << "\n";
}

std::string open_loop_chart_svg(const std::vector<open_loop_point>& points, double slo_s,
                                const std::string& title) {
  constexpr double width = 640, height = 360, left = 70, right = 150, top = 40, bottom = 50;
  double max_rate = 0, lo = slo_s, hi = slo_s;
  for (const auto& p : points) {
    if (!p.error.empty())
      continue;
    max_rate = std::max(max_rate, p.offered_rate);
    for (double v : {p.p50, p.p99}) {
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
        << "\" text-anchor=\"end\">" << ms(v) << " ms</text>\n";
  }
  for (int i = 0; i <= 4; ++i) {
    const double r = max_rate * i / 4;
    svg << "<text x=\"" << x(r) << "\" y=\"" << height - bottom + 16 << "\" text-anchor=\"middle\">"
        << rate_text(r) << "</text>\n";
  }
  svg << "<text x=\"" << (left + width - right) / 2 << "\" y=\"" << height - 12
      << "\" text-anchor=\"middle\">offered rate (req/s)</text>\n"
      << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << y(slo_s)
      << "\" y2=\"" << y(slo_s) << "\" stroke=\"#c00\" stroke-dasharray=\"2,3\"/>\n<text x=\""
      << width - right + 4 << "\" y=\"" << y(slo_s) + 4 << "\" fill=\"#c00\">SLO " << ms(slo_s)
      << " ms</text>\n";
  std::map<std::string, std::vector<open_loop_point>> by_strategy;
  for (const auto& p : points) {
    if (p.error.empty())
      by_strategy[p.strategy].push_back(p);
  }
  double legend_y = top + 20;
  for (auto& [strategy, list] : by_strategy) {
    std::sort(list.begin(), list.end(),
              [](const auto& a, const auto& b) { return a.offered_rate < b.offered_rate; });
    const char* colour = strategy_colour(strategy);
    for (const bool p99 : {true, false}) {
      svg << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\""
          << (p99 ? "" : " stroke-dasharray=\"5,4\"") << " points=\"";
      for (const auto& p : list)
        svg << x(p.offered_rate) << "," << y(std::max(p99 ? p.p99 : p.p50, lo)) << " ";
      svg << "\"/>\n";
    }
    if (const auto rate = saturation_rate(list, slo_s)) {
      const auto& at = *std::find_if(list.begin(), list.end(),
                                     [&](const auto& p) { return p.offered_rate == *rate; });
      svg << "<circle cx=\"" << x(at.offered_rate) << "\" cy=\"" << y(std::max(at.p99, lo))
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
