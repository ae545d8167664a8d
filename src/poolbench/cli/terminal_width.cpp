#include <poolbench/cli/terminal_width.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

namespace poolbench::cli {

std::size_t terminal_width(std::size_t fallback) {
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value > 0)
      return static_cast<std::size_t>(value);
  }
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return fallback;
}

}  // namespace poolbench::cli
