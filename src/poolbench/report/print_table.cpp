#include <poolbench/report/print_table.hpp>

#include <poolbench/report/load.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string>

namespace poolbench::report {

std::size_t terminal_width() {
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long value = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && value > 0)
      return static_cast<std::size_t>(value);
  }
  winsize size{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return 120;
}

void print_table(std::ostream& out, const std::vector<std::string>& files,
                 const show_options& options) {
  print_table(out, load_result_files(files), options);
}

void print_table(std::ostream& out, const std::vector<result_file>& results,
                 const show_options& options) {
  const auto tables = build_tables(results, {options.columns, options.sort, options.group_by});
  render_options render;
  render.format = options.format;
  render.colour = options.colour;
  render.columns = options.columns;
  render.sort = options.sort;
  render.baseline = options.baseline;
  render.width = options.wide ? 0 : options.width != 0 ? options.width : terminal_width();
  render.drop_columns = options.drop_columns;
  // Render fully before writing, so a failure leaves no half table behind.
  std::ostringstream text;
  write_tables(text, tables, render);
  out << text.str();
}

}  // namespace poolbench::report
