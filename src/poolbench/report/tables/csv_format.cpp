// CSV for spreadsheets and scripts: raw numbers in seconds (no unit scaling,
// no ratios), one row per benchmark, the group and file as columns, the
// side that bounded the case (server, client, both or empty) and the error
// last: a failed benchmark has it and no numbers.

#include <poolbench/report/formatted.hpp>
#include <poolbench/report/tables/table_format.hpp>

#include <poolbench/report/claims/bottleneck.hpp>

#include <cmath>

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

std::string csv_number(double v) {
  if (std::isnan(v))
    return "";
  return formatted("%.9g", v);
}

}  // namespace

void write_csv(std::ostream& out, const std::vector<table>& tables, const render_options& options) {
  // Open-loop runs add their rates, counts and latency percentiles (seconds).
  bool open_loop = false;
  for (const auto& t : tables) {
    for (const auto& r : t.rows)
      open_loop = open_loop || r.open_loop.has_value();
  }
  out << "group,name,file";
  for (column c : options.columns)
    out << ',' << to_string(c);
  if (open_loop)
    out << ",offered_rate,achieved_rate,requests,incomplete,p50,p90,p99,p999,latency_max";
  out << ",bottleneck,error\n";
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
          out << csv_number(column_value(r.stats, c));
        }
      }
      if (open_loop && r.open_loop && !r.failed()) {
        const auto& ol = *r.open_loop;
        out << ',' << csv_number(ol.offered_rate) << ',' << csv_number(ol.achieved_rate) << ','
            << ol.requests << ',' << ol.incomplete;
        for (double v :
             {ol.latency.p50, ol.latency.p90, ol.latency.p99, ol.latency.p999, ol.latency.max})
          out << ',' << csv_number(v);
      } else if (open_loop) {
        out << ",,,,,,,,,";
      }
      out << ',' << bottleneck_field(bottleneck_of(r)) << ',' << quote(r.error) << '\n';
    }
  }
}

}  // namespace poolbench::report
