#include <poolbench/delay/delay_distribution.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>

namespace poolbench::delay {
namespace {

constexpr double max_spec_us = 3600e6;   // one hour: longer is a typo, not a backend
constexpr double max_draw_us = 86400e6;  // a day: keeps every draw representable
// The standard normal's 0.99 quantile: a lognormal's sigma from its median and p99.
constexpr double z_99 = 2.326347874040841;

constexpr std::string_view usage_hint =
    "expected e.g. 5ms, uniform:1ms..9ms, exp:5ms, lognormal:median=5ms,p99=100ms or "
    "1ms:95,100ms:5";

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Carries the reason, joined from its parts; parse() prefixes the spec.
// (Joined by append: GCC 12 warns falsely on "literal" + std::string.)
[[noreturn]] void fail(std::initializer_list<std::string_view> parts) {
  std::string reason;
  for (const std::string_view part : parts) {
    reason.append(part);
  }
  throw std::invalid_argument(reason);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Digits with at most one '.', at least one digit: no signs, exponents, inf or nan.
std::size_t number_length(std::string_view s) {
  std::size_t i = 0;
  bool dot = false;
  bool digit = false;
  for (; i < s.size(); ++i) {
    if (is_digit(s[i])) {
      digit = true;
    } else if (s[i] == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  return digit ? i : 0;
}

double parse_number(std::string_view s) {
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(value)) {
    fail({"'", s, "' is not a number"});
  }
  return value;
}

// "250us", "5ms", "0.5s" in microseconds.
double parse_duration_us(std::string_view text) {
  text = trim(text);
  const std::size_t n = number_length(text);
  if (n == 0) {
    fail({"'", text, "' is not a duration (a number with us, ms or s)"});
  }
  const double value = parse_number(text.substr(0, n));
  const std::string_view unit = text.substr(n);
  double scale = 0;
  if (unit == "us") {
    scale = 1;
  } else if (unit == "ms") {
    scale = 1e3;
  } else if (unit == "s") {
    scale = 1e6;
  } else if (unit.empty()) {
    fail({"'", text, "' needs a unit (us, ms or s)"});
  } else {
    fail({"'", text, "' has unit '", unit, "' (expected us, ms or s)"});
  }
  const double us = value * scale;
  if (us > max_spec_us) {
    fail({"'", text, "' is longer than 3600s"});
  }
  return us;
}

// The standard normal's quantile function: Acklam's rational approximation
// (relative error below 1.2e-9) refined by one Halley step on erfc, which
// brings it to about machine precision. p in (0, 1).
double normal_quantile(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x = 0;
  if (p < p_low) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - p_low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // Halley: e is the CDF's error at x, u the step.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

// "median=5ms,p99=100ms" (either order) into (median, p99) in microseconds.
std::pair<double, double> parse_lognormal(std::string_view args) {
  double median = -1;
  double p99 = -1;
  std::size_t start = 0;
  while (start <= args.size()) {
    const std::size_t comma = std::min(args.find(',', start), args.size());
    const std::string_view item = trim(args.substr(start, comma - start));
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      fail({"lognormal takes median=D,p99=D; '", item, "' has no '='"});
    }
    const std::string_view key = trim(item.substr(0, eq));
    double* slot = key == "median" ? &median : key == "p99" ? &p99 : nullptr;
    if (slot == nullptr) {
      fail({"lognormal takes median=D,p99=D; unknown key '", key, "'"});
    }
    if (*slot >= 0) {
      fail({"lognormal: '", key, "' given twice"});
    }
    *slot = parse_duration_us(item.substr(eq + 1));
    start = comma + 1;
  }
  if (median < 0 || p99 < 0) {
    fail({"lognormal needs both median=D and p99=D"});
  }
  if (median <= 0) {
    fail({"lognormal: the median must be above 0"});
  }
  if (p99 <= median) {
    fail({"lognormal: p99 must be above the median"});
  }
  return {median, p99};
}

}  // namespace

delay_distribution delay_distribution::parse(std::string_view text) {
  delay_distribution d;
  d.spec_ = std::string(trim(text));
  const std::string_view spec = d.spec_;
  try {
    if (spec.empty()) {
      fail({"empty spec"});
    }
    const std::size_t colon = spec.find(':');
    const bool named = !is_digit(spec.front()) && spec.front() != '.';
    if (named && colon == std::string_view::npos) {
      d.kind_ = kind::constant;
      d.a_ = parse_duration_us(spec);  // fails: names what a duration is
    } else if (named) {
      const std::string_view name = spec.substr(0, colon);
      const std::string_view args = spec.substr(colon + 1);
      if (name == "uniform") {
        const std::size_t dots = args.find("..");
        if (dots == std::string_view::npos) {
          fail({"uniform takes LOW..HIGH, e.g. uniform:1ms..9ms"});
        }
        d.kind_ = kind::uniform;
        d.a_ = parse_duration_us(args.substr(0, dots));
        d.b_ = parse_duration_us(args.substr(dots + 2));
        if (d.b_ < d.a_) {
          fail({"uniform: the upper bound is below the lower bound"});
        }
      } else if (name == "exp") {
        d.kind_ = kind::exponential;
        d.a_ = parse_duration_us(args);
        if (d.a_ <= 0) {
          fail({"exp: the mean must be above 0"});
        }
      } else if (name == "lognormal") {
        const auto [median, p99] = parse_lognormal(args);
        d.kind_ = kind::lognormal;
        d.a_ = median;
        d.b_ = std::log(p99 / median) / z_99;
      } else {
        fail({"unknown kind '", name, "' (uniform, exp, lognormal, or a duration)"});
      }
    } else if (colon == std::string_view::npos) {
      d.kind_ = kind::constant;
      d.a_ = parse_duration_us(spec);
    } else {
      // A weighted list: DURATION:WEIGHT, comma separated.
      d.kind_ = kind::weighted;
      double total = 0;
      std::size_t start = 0;
      while (start <= spec.size()) {
        const std::size_t comma = std::min(spec.find(',', start), spec.size());
        const std::string_view item = trim(spec.substr(start, comma - start));
        const std::size_t sep = item.find(':');
        if (sep == std::string_view::npos) {
          fail({"weighted list entry '", item, "' is not DURATION:WEIGHT"});
        }
        const double us = parse_duration_us(item.substr(0, sep));
        const std::string_view weight_text = trim(item.substr(sep + 1));
        if (number_length(weight_text) != weight_text.size()) {
          fail({"weight '", weight_text, "' is not a number"});
        }
        const double weight = parse_number(weight_text);
        if (weight <= 0) {
          fail({"weight of '", item, "' must be above 0"});
        }
        total += weight;
        d.entries_.push_back({us, weight});
        start = comma + 1;
      }
      // Ascending by delay, so at() is a monotone inverse CDF.
      std::stable_sort(
          d.entries_.begin(), d.entries_.end(),
          [](const weighted_entry& x, const weighted_entry& y) { return x.delay_us < y.delay_us; });
      double cumulative = 0;
      for (weighted_entry& e : d.entries_) {
        cumulative += e.cumulative;
        e.cumulative = cumulative / total;
      }
      d.entries_.back().cumulative = 1;
    }
  } catch (const std::invalid_argument& e) {
    std::string line = "delay '";
    line.append(d.spec_).append("': ").append(e.what());
    if (spec.empty()) {
      line.append("; ").append(usage_hint);
    }
    throw std::invalid_argument(line);
  }
  return d;
}

std::chrono::microseconds delay_distribution::at(double u) const {
  // The largest double below 1: keeps -log1p(-u) and the quantile finite.
  constexpr double below_one = 1.0 - std::numeric_limits<double>::epsilon() / 2;
  u = std::isnan(u) ? 0 : std::clamp(u, 0.0, below_one);
  double us = 0;
  switch (kind_) {
    case kind::constant:
      us = a_;
      break;
    case kind::uniform:
      us = a_ + u * (b_ - a_);
      break;
    case kind::exponential:
      us = -a_ * std::log1p(-u);
      break;
    case kind::lognormal:
      us = u <= 0 ? 0 : a_ * std::exp(b_ * normal_quantile(u));
      break;
    case kind::weighted: {
      const auto it =
          std::upper_bound(entries_.begin(), entries_.end(), u,
                           [](double v, const weighted_entry& e) { return v < e.cumulative; });
      us = it == entries_.end() ? entries_.back().delay_us : it->delay_us;
      break;
    }
  }
  us = std::min(us, max_draw_us);
  return std::chrono::microseconds(std::llround(us));
}

bool delay_distribution::is_constant() const noexcept {
  switch (kind_) {
    case kind::constant:
      return true;
    case kind::uniform:
      return a_ == b_;
    case kind::weighted:
      return entries_.front().delay_us == entries_.back().delay_us;
    case kind::exponential:
    case kind::lognormal:
      return false;
  }
  return false;
}

}  // namespace poolbench::delay
