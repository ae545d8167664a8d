#include <poolbench/report/tables/cost_table.hpp>

#include <poolbench/report/claims/bottleneck.hpp>
#include <poolbench/report/tables/table_format.hpp>
#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::report {
namespace {

// Least important first: what goes when a cost table is too wide.
constexpr const char* drop_order[] = {"client_busy",
                                      "server_busy",
                                      "pool_start_us",
                                      "server_cpu_us_per_request",
                                      "peak_pss_mib",
                                      "ideal_round_s",
                                      "context_switches_per_request",
                                      "pss_kib_per_worker",
                                      "pool_pss_mib",
                                      "efficiency"};

double value_of(const benchmark_result& r, const cost_column& c) {
  const auto it = r.counters.find(c.counter);
  return it == r.counters.end() || !std::isfinite(it->second) ? NAN : it->second * c.scale;
}

bool has_any(const benchmark_result& r, const std::vector<cost_column>& columns) {
  return std::any_of(columns.begin(), columns.end(),
                     [&](const cost_column& c) { return !std::isnan(value_of(r, c)); });
}

std::string title_of(const table& t, std::size_t rows) {
  return "cost per request" + (t.group.empty() ? "" : " '" + t.group + "'") + ": " +
         std::to_string(rows) + " tests";
}

}  // namespace

const std::vector<cost_column>& cost_columns() {
  static const std::vector<cost_column> all = {
      {"client_cpu_us_per_request", "CPU us/req", 1, 1, true,
       "user + system CPU of poolbench and its worker processes per request"},
      {"efficiency", "efficiency", 1, 2, false,
       "the ideal round / the mean round (1.00: nothing lost but the delay)"},
      {"ideal_round_s", "ideal ms", 1e3, 3, false,
       "the ideal round, ceil(batch / workers) x delay: perfect waves of the case's workers"},
      {"context_switches_per_request", "switches/req", 1, 2, true,
       "voluntary + involuntary context switches per request"},
      {"pool_pss_mib", "pool MiB", 1, 1, false,
       "the pool's own memory: private and shared PSS of poolbench and its workers above "
       "poolbench's own before the pool was built (what memory claims compare)"},
      {"peak_pss_mib", "proc MiB", 1, 1, false,
       "peak PSS of the whole process, poolbench and its workers (grows over a run whatever "
       "ran in it)"},
      {"pss_kib_per_worker", "KiB/worker", 1, 1, false, "the pool's own memory per worker"},
      {"pool_start_us", "start ms", 1e-3, 3, false,
       "building a warm pool until every worker can take a task"},
      {"server_cpu_us_per_request", "server us/req", 1, 1, false,
       "the embedded server's CPU per request"},
      {"client_busy", "client busy", 1, 2, false,
       "client CPU / (wall time x the cores it can use); 0.9 or more marks the case "
       "client-bound"},
      {"server_busy", "server busy", 1, 2, false,
       "server CPU / (wall time x the cores it can use); 0.9 or more marks the case "
       "server-bound"},
  };
  return all;
}

std::vector<cost_column> cost_columns_present(const std::vector<table>& tables) {
  std::vector<cost_column> present;
  for (const auto& c : cost_columns()) {
    const bool any = std::any_of(tables.begin(), tables.end(), [&](const table& t) {
      return std::any_of(t.rows.begin(), t.rows.end(),
                         [&](const benchmark_result& r) { return !std::isnan(value_of(r, c)); });
    });
    if (any)
      present.push_back(c);
  }
  return present;
}

cost_fit fit_cost_columns(const std::vector<table>& tables, std::size_t width) {
  cost_fit fit;
  fit.shown = cost_columns_present(tables);
  if (width == 0)
    return fit;
  const auto too_wide = [&] {
    return std::any_of(tables.begin(), tables.end(), [&](const table& t) {
      const auto laid_out = lay_out_costs(t, fit.shown);
      return laid_out && term_table_width(*laid_out) > width;
    });
  };
  for (const char* counter : drop_order) {
    if (fit.shown.size() <= 1 || !too_wide())
      break;
    const auto it = std::find_if(fit.shown.begin(), fit.shown.end(), [&](const cost_column& c) {
      return std::string_view(c.counter) == counter;
    });
    if (it != fit.shown.end()) {
      fit.dropped.push_back(*it);
      fit.shown.erase(it);
    }
  }
  return fit;
}

std::optional<laid_out_table> lay_out_costs(const table& t,
                                            const std::vector<cost_column>& columns) {
  std::vector<std::size_t> rows;
  for (std::size_t n = 0; n < t.rows.size(); ++n) {
    if (has_any(t.rows[n], columns))
      rows.push_back(n);
  }
  if (rows.empty())
    return std::nullopt;
  laid_out_table out;
  out.group = t.group;
  out.solo = rows.size() == 1;
  out.title = title_of(t, rows.size());
  out.caption = "(means over the repetitions' timed rounds; ratios against the column's lowest)";
  out.labels.push_back("Name (cost)");
  for (const auto& c : columns) {
    out.labels.push_back(c.heading);
    out.with_ratio.push_back(c.ratio && !out.solo);
  }
  std::vector<value_range> range;
  for (const auto& c : columns)
    range.push_back(range_of(t, [&c](const benchmark_result& r) { return value_of(r, c); }));
  for (std::size_t n : rows) {
    const auto& r = t.rows[n];
    auto& row = add_row_heading(out, t, n).cells;
    for (std::size_t i = 0; i < columns.size() && !r.failed(); ++i) {
      const double v = value_of(r, columns[i]);
      laid_out_cell cell;
      cell.text = format_fixed(v, columns[i].decimals);
      // Several rows with the value: the lowest cost is the (1.0), as the
      // lowest time is in the time table.
      if (out.with_ratio[i] && !std::isnan(v) && range[i].low > 0 && range[i].low < range[i].high) {
        cell.ratio = format_ratio(range[i].low, v);
        cell.best = v == range[i].low;
        cell.worst = v == range[i].high;
      }
      row.push_back(std::move(cell));
    }
  }
  return out;
}

void write_cost_markdown(std::ostream& out, const table& t) {
  write_captioned_markdown(out, lay_out_costs(t, cost_columns_present({t})));
}

void write_cost_markdown(std::ostream& out, const table& t,
                         const std::vector<cost_column>& columns) {
  write_captioned_markdown(out, lay_out_costs(t, columns));
}

std::string cost_legend(const cost_fit& fit, std::size_t width) {
  if (fit.shown.empty())
    return "";
  std::string text =
      "Cost (means over the repetitions, timed rounds only; docs/result-format.md; ratios against "
      "the column's lowest, which reads (1.0)):";
  const char* separator = " ";
  for (const auto& c : fit.shown) {
    text.append(separator).append(c.heading).append(": ").append(c.meaning);
    separator = "; ";
  }
  text += "; -: not measured (a cold pool has no start, an external server no server CPU).";
  if (!fit.dropped.empty()) {
    text += " Left out to fit " + std::to_string(width) + " columns:";
    separator = " ";
    for (const auto& c : fit.dropped) {
      text.append(separator).append(c.heading);
      separator = ", ";
    }
    text += " (--wide shows them).";
  }
  return text;
}

}  // namespace poolbench::report
