// JSON for other tools: every statistic in seconds (null when unknown or
// when the benchmark failed), per group, with the notes a reader needs to
// interpret them; `error` is the failure's message, or null.

#include <poolbench/report/tables/table_format.hpp>

#include <poolbench/report/claims/bottleneck.hpp>

#include <nlohmann/json.hpp>

#include <cmath>

namespace poolbench::report {
namespace {

nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

}  // namespace

void write_json(std::ostream& out, const std::vector<table>& tables,
                const render_options& options) {
  nlohmann::json doc;
  doc["time_unit"] = "s";
  doc["load_model"] = closed_loop_caveat();
  doc["groups"] = nlohmann::json::array();
  for (const auto& t : tables) {
    nlohmann::json group;
    group["group"] = t.group;
    group["benchmarks"] = nlohmann::json::array();
    for (const auto& r : t.rows) {
      nlohmann::json b;
      b["name"] = r.name;
      b["file"] = r.file;
      for (column c : options.columns) {
        if (r.failed()) {
          b[to_string(c)] = nlohmann::json();
        } else if (c == column::outliers) {
          b["outliers"] =
              r.stats.stddev_outliers < 0 ? nlohmann::json() : nlohmann::json(r.stats.outliers());
        } else if (c == column::rounds) {
          b["rounds"] = r.stats.rounds;
        } else {
          b[to_string(c)] = number(column_value(r.stats, c));
        }
      }
      b["error"] = r.failed() ? nlohmann::json(r.error) : nlohmann::json();
      b["params"] = r.params;
      // The side that bounded the case (bottleneck.hpp), a field of its own
      // so the name stays the key other tools match on.
      const auto bound = bottleneck_field(bottleneck_of(r));
      b["bottleneck"] = bound.empty() ? nlohmann::json() : nlohmann::json(std::string(bound));
      if (r.open_loop) {
        // An open-loop run's result is its latency (seconds), not its wall time.
        const auto& ol = *r.open_loop;
        b["open_loop"] = {{"offered_rate", number(ol.offered_rate)},
                          {"achieved_rate", number(ol.achieved_rate)},
                          {"requests", ol.requests},
                          {"completed", ol.completed},
                          {"incomplete", ol.incomplete},
                          {"latency_s",
                           {{"p50", number(ol.latency.p50)},
                            {"p90", number(ol.latency.p90)},
                            {"p99", number(ol.latency.p99)},
                            {"p999", number(ol.latency.p999)},
                            {"max", number(ol.latency.max)}}}};
      }
      group["benchmarks"].push_back(std::move(b));
    }
    doc["groups"].push_back(std::move(group));
  }
  out << doc.dump(2) << '\n';
}

}  // namespace poolbench::report
