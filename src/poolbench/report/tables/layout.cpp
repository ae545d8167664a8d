#include <poolbench/report/tables/layout.hpp>

#include <poolbench/report/claims/bottleneck.hpp>

#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::report {
namespace {

struct extremes {
  double best, worst;
};

// Best is the lowest time and the highest OPS.
extremes extremes_of(const table& t, column c) {
  const auto range =
      range_of(t, [c](const benchmark_result& r) { return column_value(r.stats, c); });
  return c == column::ops ? extremes{range.high, range.low} : extremes{range.low, range.high};
}

std::string label_of(column c, const unit_scale& ops_unit) {
  if (c == column::ops && !ops_unit.prefix.empty())
    return "OPS (" + ops_unit.prefix + "ops/s)";
  return column_heading(c);
}

// As pytest-benchmark: the unit that suits the best value of the sort column
// (of min when sorting by a non-time column), falling back to the mean for
// files that carry only aggregates.
unit_scale choose_time_unit(const table& t, const std::string& sort) {
  column key = column::min;
  if (sort != "name") {
    const column c = parse_columns(sort).front();
    if (is_time_column(c))
      key = c;
  }
  double v = extremes_of(t, key).best;
  if (std::isnan(v))
    v = extremes_of(t, column::mean).best;
  return time_scale_for(v);
}

}  // namespace

value_range range_of(const table& t, const std::function<double(const benchmark_result&)>& value) {
  value_range range;
  for (const auto& r : t.rows) {
    const double v = value(r);
    if (std::isnan(v) || r.failed())
      continue;
    range.low = std::isnan(range.low) ? v : std::min(range.low, v);
    range.high = std::isnan(range.high) ? v : std::max(range.high, v);
  }
  return range;
}

std::string failure_text(const benchmark_result& r) {
  if (!r.failed())
    return "";
  std::string text = "failed: " + r.error;
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20)
      c = ' ';  // one line, whatever the message held
  }
  return text;
}

const char* closed_loop_caveat() noexcept {
  return "Load: closed-loop (a fixed number of workers, each waiting for its answer before "
         "sending the next request). Closed-loop timings hide queueing delay (coordinated "
         "omission): they measure throughput and round time, not the latency an open stream "
         "of requests would see.";
}

laid_out_row& add_row_heading(laid_out_table& out, const table& t, std::size_t n) {
  const auto& r = t.rows[n];
  const std::string mark(bottleneck_mark(bottleneck_of(r)));
  const auto marked = [&](const std::string& name) {
    return mark.empty() ? name : name + " [" + mark + "]";
  };
  return out.rows.emplace_back(
      laid_out_row{marked(r.name),
                   marked(n < t.short_names.size() ? t.short_names[n] : r.name),
                   failure_text(r),
                   {}});
}

// What a row's ratios are to: the baseline row (e.g. the floor) with the
// row's own workers, since a floor keeps as many requests in flight as the
// pools it measures; else the baseline row that names no workers (the whole
// batch in flight); else the first baseline row; end() for none (ratios are
// then to the best of each column).
static std::vector<benchmark_result>::const_iterator reference_row(const table& t,
                                                                   const benchmark_result& row,
                                                                   const std::string& baseline) {
  const auto is_baseline = [&](const benchmark_result& r) {
    const auto s = r.params.find("strategy");
    return !baseline.empty() && !r.failed() && s != r.params.end() && s->second == baseline;
  };
  const auto workers = row.params.find("workers");
  auto unnamed = t.rows.end();
  auto first = t.rows.end();
  for (auto it = t.rows.begin(); it != t.rows.end(); ++it) {
    if (!is_baseline(*it))
      continue;
    if (first == t.rows.end())
      first = it;
    const auto w = it->params.find("workers");
    if (w == it->params.end()) {
      if (unnamed == t.rows.end())
        unnamed = it;
    } else if (workers != row.params.end() && w->second == workers->second) {
      return it;
    }
  }
  return unnamed != t.rows.end() ? unnamed : first;
}

laid_out_table lay_out(const table& t, const std::vector<column>& columns, const std::string& sort,
                       const std::string& baseline) {
  laid_out_table out;
  out.group = t.group;
  out.title = "benchmark" + (t.group.empty() ? "" : " '" + t.group + "'") + ": " +
              std::to_string(t.rows.size()) + " tests";
  out.solo = t.rows.size() == 1;
  const unit_scale unit = choose_time_unit(t, sort);
  // pytest-benchmark scales OPS by the unit of the worst (lowest) OPS.
  const unit_scale ops_unit = ops_scale_for(extremes_of(t, column::ops).worst);
  out.labels.push_back("Name (time in " + unit.prefix + "s)");
  for (column c : columns) {
    out.labels.push_back(label_of(c, ops_unit));
    out.with_ratio.push_back(c != column::outliers && c != column::rounds);
  }

  std::vector<extremes> ext;
  for (column c : columns)
    ext.push_back(extremes_of(t, c));
  for (std::size_t n = 0; n < t.rows.size(); ++n) {
    const auto& r = t.rows[n];
    const auto reference = reference_row(t, r, baseline);
    auto& row = add_row_heading(out, t, n).cells;
    for (std::size_t i = 0; i < columns.size() && !r.failed(); ++i) {
      const column c = columns[i];
      laid_out_cell cell;
      if (c == column::outliers) {
        cell.text = r.stats.outliers();
      } else if (c == column::rounds) {
        cell.text = std::to_string(r.stats.rounds);
      } else {
        const double v = column_value(r.stats, c);
        cell.text = format_number(v * (c == column::ops ? ops_unit.factor : unit.factor));
        if (!out.solo) {
          cell.ratio = format_ratio(
              reference == t.rows.end() ? ext[i].best : column_value(reference->stats, c), v);
          cell.best = !std::isnan(v) && v == ext[i].best;
          cell.worst = !std::isnan(v) && v == ext[i].worst;
        }
      }
      row.push_back(std::move(cell));
    }
  }
  return out;
}

}  // namespace poolbench::report
