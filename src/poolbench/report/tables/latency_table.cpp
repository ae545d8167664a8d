#include <poolbench/report/tables/latency_table.hpp>

#include <poolbench/report/tables/table_format.hpp>
#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::report {
namespace {

struct latency_column {
  const char* heading;
  latency_percentiles closed_loop_latency::*side;
  double latency_percentiles::*percentile;
};

const latency_column columns[] = {
    {"service p50", &closed_loop_latency::service, &latency_percentiles::p50},
    {"service p99", &closed_loop_latency::service, &latency_percentiles::p99},
    {"service max", &closed_loop_latency::service, &latency_percentiles::max},
    {"queue p50", &closed_loop_latency::queue, &latency_percentiles::p50},
    {"queue p99", &closed_loop_latency::queue, &latency_percentiles::p99},
    {"queue max", &closed_loop_latency::queue, &latency_percentiles::max},
};

double value_of(const benchmark_result& r, const latency_column& c) {
  return r.latency ? ((*r.latency).*c.side).*c.percentile : NAN;
}

}  // namespace

std::optional<laid_out_table> lay_out_latency(const table& t) {
  std::vector<std::size_t> rows;
  double largest = 0;
  for (std::size_t n = 0; n < t.rows.size(); ++n) {
    if (!t.rows[n].latency || t.rows[n].failed())
      continue;
    rows.push_back(n);
    for (const auto& c : columns) {
      if (const double v = value_of(t.rows[n], c); std::isfinite(v))
        largest = std::max(largest, v);
    }
  }
  if (rows.empty())
    return std::nullopt;
  // One unit for the whole table, the one its largest value reads in, so
  // a tail and a median sit in the same unit side by side.
  const auto scale = time_scale_for(largest > 0 ? largest : 1e-3);
  laid_out_table out;
  out.group = t.group;
  out.solo = true;  // no ratios: no column has a best
  out.title = "latency per request" + (t.group.empty() ? "" : " '" + t.group + "'") + ": " +
              std::to_string(rows.size()) + " tests";
  out.caption = "(closed loop, over every timed round of every repetition)";
  out.labels.push_back("Name (latency in " + scale.prefix + "s)");
  for (const auto& c : columns) {
    out.labels.push_back(c.heading);
    out.with_ratio.push_back(false);
  }
  for (std::size_t n : rows) {
    auto& row = add_row_heading(out, t, n).cells;
    for (const auto& c : columns) {
      laid_out_cell cell;
      cell.text = format_fixed(value_of(t.rows[n], c) * scale.factor, 2);
      row.push_back(std::move(cell));
    }
  }
  return out;
}

void write_latency_markdown(std::ostream& out, const table& t) {
  write_captioned_markdown(out, lay_out_latency(t));
}

std::string latency_legend(const std::vector<table>& tables) {
  const bool any = std::any_of(tables.begin(), tables.end(), [](const table& t) {
    return std::any_of(t.rows.begin(), t.rows.end(),
                       [](const benchmark_result& r) { return r.latency.has_value(); });
  });
  if (!any)
    return "";
  return "Latency per request (closed loop, every timed round of every repetition): service from "
         "the moment a worker starts a request to its checked answer; queue from the batch's "
         "submission to that start (the wait for a free worker). Closed-loop latency hides the "
         "queueing an open stream of arrivals would meet (coordinated omission).";
}

}  // namespace poolbench::report
