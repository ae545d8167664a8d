#pragma once
// printf's formatting into a std::string: the one place the report turns a
// number into text with a printf format (every table, chart and sentence
// prints numbers as printf does, so their output stays what it was).

#include <cstdarg>
#include <cstdio>
#include <string>

namespace poolbench::report {

// Checked by the compiler like printf (a literal format, arguments of its
// types); any length.
[[nodiscard]] inline std::string formatted(const char* format, ...)
    __attribute__((format(printf, 1, 2)));

inline std::string formatted(const char* format, ...) {
  char buffer[256];
  std::va_list args;
  va_start(args, format);
  std::va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  std::string out;
  if (n < 0) {
    va_end(again);
    return out;
  }
  if (static_cast<std::size_t>(n) < sizeof buffer) {
    out.assign(buffer, static_cast<std::size_t>(n));
  } else {
    out.resize(static_cast<std::size_t>(n));
    std::vsnprintf(out.data(), out.size() + 1, format, again);
  }
  va_end(again);
  return out;
}

}  // namespace poolbench::report
