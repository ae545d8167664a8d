#include <poolbench/report/formatted.hpp>
#include <poolbench/report/tables/units.hpp>

#include <cmath>
#include <string_view>

namespace poolbench::report {

unit_scale time_scale_for(double seconds) {
  if (!std::isfinite(seconds))
    return {"", 1.0};
  if (seconds < 1e-6)
    return {"n", 1e9};
  if (seconds < 1e-3)
    return {"u", 1e6};
  if (seconds < 1)
    return {"m", 1e3};
  return {"", 1.0};
}

unit_scale ops_scale_for(double ops) {
  if (ops > 1e6)
    return {"M", 1e-6};
  if (ops > 1e3)
    return {"K", 1e-3};
  return {"", 1.0};
}

std::string format_number(double value) {
  if (std::isnan(value))
    return "n/a";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  const std::string buffer = formatted("%.4f", value);
  const std::string_view digits = buffer;
  const std::size_t sign = digits[0] == '-' ? 1 : 0;
  const std::size_t point = digits.find('.');
  // Copy the integer part, putting a comma before every group of three.
  std::string out(digits.substr(0, sign));
  for (std::size_t i = sign; i < point; ++i) {
    if (i > sign && (point - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  out += digits.substr(point);
  return out;
}

std::string format_fixed(double value, int decimals) {
  if (std::isnan(value))
    return "-";
  return formatted("%.*f", decimals, value);
}

std::string format_ratio(double best, double value) {
  if (std::isnan(best) || std::isnan(value))
    return "";
  if (value == best)
    return "(1.0)";
  const double scale = best != 0 ? std::fabs(value / best) : INFINITY;
  if (std::isinf(scale))
    return "(inf)";
  if (scale > 1000)
    return "(>1000.0)";
  return formatted("(%.2f)", scale);
}

}  // namespace poolbench::report
