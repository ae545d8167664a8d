// CSV for spreadsheets and scripts: raw numbers in seconds (no unit scaling,
// no ratios), one row per benchmark, the group and file as columns, and the
// error last: a failed benchmark has it and no numbers.

#include <poolbench/report/table_format.hpp>

#include <cmath>
#include <cstdio>

namespace poolbench::report {
namespace {

std::string quote(const std::string& field) {
  if (field.find_first_of(",\"\n\r") == std::string::npos)
    return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number(double v) {
  if (std::isnan(v))
    return "";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.9g", v);
  return buffer;
}

}  // namespace

void write_csv(std::ostream& out, const std::vector<table>& tables, const render_options& options) {
  out << "group,name,file";
  for (column c : options.columns)
    out << ',' << to_string(c);
  out << ",error\n";
  for (const auto& t : tables) {
    for (const auto& r : t.rows) {
      out << quote(t.group) << ',' << quote(r.name) << ',' << quote(r.file);
      for (column c : options.columns) {
        out << ',';
        if (r.failed()) {
          continue;
        } else if (c == column::outliers) {
          out << (r.stats.stddev_outliers < 0 ? "" : r.stats.outliers());
        } else if (c == column::rounds) {
          out << r.stats.rounds;
        } else {
          out << number(column_value(r.stats, c));
        }
      }
      out << ',' << quote(r.error) << '\n';
    }
  }
}

}  // namespace poolbench::report
