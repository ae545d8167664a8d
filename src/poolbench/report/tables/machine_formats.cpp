// The machine-readable formats: one document, two encodings. JSON is the
// document itself: every statistic in seconds (null when unknown or when the
// benchmark failed), per group, with the notes a reader needs to interpret
// them; `error` is the failure's message, or null. CSV is its flat
// projection for spreadsheets and scripts: raw numbers in seconds (no unit
// scaling, no ratios), one row per benchmark, the group and file as columns,
// the side that bounded the case (server, client, both or empty) and the
// error last: a failed benchmark has it and no numbers.

#include <poolbench/report/formatted.hpp>
#include <poolbench/report/tables/table_format.hpp>

#include <poolbench/report/claims/bottleneck.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace poolbench::report {
namespace {

using nlohmann::json;

// Non-finite numbers stay in the document: JSON writes them as null, CSV
// writes NaN as an empty field.
json benchmark_json(const benchmark_result& r, const std::vector<column>& columns) {
  json b;
  b["name"] = r.name;
  b["file"] = r.file;
  for (column c : columns) {
    if (r.failed())
      b[to_string(c)] = json();
    else if (c == column::outliers)
      b["outliers"] = r.stats.stddev_outliers < 0 ? json() : json(r.stats.outliers());
    else if (c == column::rounds)
      b["rounds"] = r.stats.rounds;
    else
      b[to_string(c)] = column_value(r.stats, c);
  }
  b["error"] = r.failed() ? json(r.error) : json();
  b["params"] = r.params;
  // The side that bounded the case (bottleneck.hpp), a field of its own so
  // the name stays the key other tools match on.
  const auto bound = bottleneck_field(bottleneck_of(r));
  b["bottleneck"] = bound.empty() ? json() : json(std::string(bound));
  if (r.open_loop) {
    // An open-loop run's result is its latency (seconds), not its wall time.
    const auto& ol = *r.open_loop;
    b["open_loop"] = {{"offered_rate", ol.offered_rate},
                      {"achieved_rate", ol.achieved_rate},
                      {"requests", ol.requests},
                      {"completed", ol.completed},
                      {"incomplete", ol.incomplete},
                      {"latency_s",
                       {{"p50", ol.latency.p50},
                        {"p90", ol.latency.p90},
                        {"p99", ol.latency.p99},
                        {"p999", ol.latency.p999},
                        {"max", ol.latency.max}}}};
  }
  return b;
}

json tables_json(const std::vector<table>& tables, const std::vector<column>& columns) {
  json doc;
  doc["time_unit"] = "s";
  doc["load_model"] = closed_loop_caveat();
  doc["groups"] = json::array();
  for (const auto& t : tables) {
    json group;
    group["group"] = t.group;
    group["benchmarks"] = json::array();
    for (const auto& r : t.rows)
      group["benchmarks"].push_back(benchmark_json(r, columns));
    doc["groups"].push_back(std::move(group));
  }
  return doc;
}

std::string csv_field(const json& v) {
  if (v.is_null() || (v.is_number_float() && std::isnan(v.get<double>())))
    return "";
  if (v.is_number_float())
    return formatted("%.9g", v.get<double>());
  if (!v.is_string())
    return v.dump();
  const auto text = v.get<std::string>();
  if (text.find_first_of(",\"\n\r") == std::string::npos)
    return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

// The CSV columns an open-loop run adds, and where the document keeps them.
const std::pair<const char*, json::json_pointer> open_loop_fields[] = {
    {"offered_rate", json::json_pointer("/offered_rate")},
    {"achieved_rate", json::json_pointer("/achieved_rate")},
    {"requests", json::json_pointer("/requests")},
    {"incomplete", json::json_pointer("/incomplete")},
    {"p50", json::json_pointer("/latency_s/p50")},
    {"p90", json::json_pointer("/latency_s/p90")},
    {"p99", json::json_pointer("/latency_s/p99")},
    {"p999", json::json_pointer("/latency_s/p999")},
    {"latency_max", json::json_pointer("/latency_s/max")},
};

void write_csv(std::ostream& out, const json& doc, const std::vector<column>& columns) {
  bool open_loop = false;
  for (const auto& g : doc["groups"]) {
    for (const auto& b : g["benchmarks"])
      open_loop = open_loop || b.contains("open_loop");
  }
  out << "group,name,file";
  for (column c : columns)
    out << ',' << to_string(c);
  for (const auto& field : open_loop_fields) {
    if (open_loop)
      out << ',' << field.first;
  }
  out << ",bottleneck,error\n";
  for (const auto& g : doc["groups"]) {
    for (const auto& b : g["benchmarks"]) {
      out << csv_field(g["group"]) << ',' << csv_field(b["name"]) << ',' << csv_field(b["file"]);
      for (column c : columns)
        out << ',' << csv_field(b[to_string(c)]);
      const bool measured = b.contains("open_loop") && b["error"].is_null();
      for (const auto& field : open_loop_fields) {
        if (open_loop)
          out << ',' << (measured ? csv_field(b["open_loop"][field.second]) : "");
      }
      out << ',' << csv_field(b["bottleneck"]) << ',' << csv_field(b["error"]) << '\n';
    }
  }
}

}  // namespace

void write_machine_readable(std::ostream& out, const std::vector<table>& tables,
                            const render_options& options) {
  const auto doc = tables_json(tables, options.columns);
  if (options.format == output_format::json)
    out << doc.dump(2) << '\n';
  else
    write_csv(out, doc, options.columns);
}

}  // namespace poolbench::report
