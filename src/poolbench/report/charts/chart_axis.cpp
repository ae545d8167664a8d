#include <poolbench/report/charts/chart_axis.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::report {
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

}  // namespace poolbench::report
