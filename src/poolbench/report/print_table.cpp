#include <poolbench/report/print_table.hpp>

#include <poolbench/report/load.hpp>

#include <sstream>

namespace poolbench::report {

void print_table(std::ostream& out, const std::vector<std::string>& files,
                 const show_options& options) {
  const auto results = load_result_files(files);
  const auto tables = build_tables(results, {options.columns, options.sort, options.group_by});
  // Render fully before writing, so a failure leaves no half table behind.
  std::ostringstream text;
  write_tables(text, tables, {options.format, options.colour, options.columns, options.sort});
  out << text.str();
}

}  // namespace poolbench::report
