#include <poolbench/results/benchmark_json.hpp>

#include <array>
#include <cctype>
#include <stdexcept>

namespace poolbench::results {
namespace {

// "/iterations:40" → true when `part` is "key:" followed by digits only.
bool is_counted(std::string_view part, std::string_view key) {
  if (!part.starts_with(key) || part.size() == key.size())
    return false;
  for (char c : part.substr(key.size())) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0)
      return false;
  }
  return true;
}

}  // namespace

std::string without_run_suffixes(std::string_view name) {
  while (true) {
    const auto slash = name.rfind('/');
    if (slash == std::string_view::npos || slash == 0)
      return std::string(name);
    const auto last = name.substr(slash + 1);
    if (last == "manual_time" || last == "real_time" || last == "process_time" ||
        is_counted(last, "iterations:") || is_counted(last, "repeats:")) {
      name = name.substr(0, slash);
    } else {
      return std::string(name);
    }
  }
}

double seconds_per_unit(std::string_view unit) {
  if (unit == "ns")
    return 1e-9;
  if (unit == "us")
    return 1e-6;
  if (unit == "ms")
    return 1e-3;
  if (unit == "s")
    return 1.0;
  throw std::invalid_argument("unknown time_unit \"" + std::string(unit) + "\"");
}

std::string_view time_unit_for(double seconds) {
  if (!(seconds >= 10e-6))
    return "ns";
  if (seconds < 10e-3)
    return "us";
  if (seconds < 10.0)
    return "ms";
  return "s";
}

std::string without_non_finite_literals(std::string_view text) {
  static constexpr std::array<std::string_view, 4> words{"Infinity", "NaN", "inf", "nan"};
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    // Google Benchmark writes nan and inf (lower case, maybe signed), Python
    // NaN and Infinity.
    const std::size_t sign = c == '-' ? 1 : 0;
    std::size_t matched = 0;
    for (const auto word : words) {
      if (text.substr(i + sign, word.size()) == word) {
        matched = sign + word.size();
        break;
      }
    }
    if (matched > 0) {
      out += "null";
      i += matched - 1;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace poolbench::results
