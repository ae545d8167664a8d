// The terminal table. With no width limit it is laid out character for
// character as pytest-benchmark's TableResults.display() does, so the
// article's table and ours line up; with a width (a terminal's), the least
// important columns are dropped until every table fits, ratios take only the
// room they need, and the legend is wrapped.

#include <poolbench/report/tables/latency_table.hpp>
#include <poolbench/report/tables/table_format.hpp>

#include <poolbench/report/tables/cost_table.hpp>

#include <algorithm>
#include <string>

namespace poolbench::report {
namespace {

constexpr std::size_t pytest_ratio_width = 10;  // pytest-benchmark's rpadding

// Least important first: what goes when a table is too wide. Mean stays.
constexpr column drop_order[] = {column::outliers, column::ops,    column::iqr,    column::max,
                                 column::stddev,   column::rounds, column::median, column::min};

enum class colour { none, green, red, yellow };

struct painter {
  bool enabled;
  std::string operator()(const std::string& text, colour c, bool bold = false) const {
    if (!enabled || (c == colour::none && !bold))
      return text;
    std::string codes;
    if (c == colour::green)
      codes += "\x1b[32m";
    if (c == colour::red)
      codes += "\x1b[31m";
    if (c == colour::yellow)
      codes += "\x1b[33m";
    if (bold)
      codes += "\x1b[1m";
    return codes + text + "\x1b[0m";
  }
};

std::string ljust(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string rjust(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// Python's str.center(width, fill), including where the odd extra goes.
std::string center(const std::string& s, std::size_t width, char fill) {
  if (s.size() >= width)
    return s;
  const std::size_t margin = width - s.size();
  const std::size_t left = margin / 2 + (margin & width & 1);
  return std::string(left, fill) + s + std::string(margin - left, fill);
}

bool has_ratio(const laid_out_table& t, std::size_t i) {
  return i < t.with_ratio.size() && t.with_ratio[i];
}

// Where everything of one table goes.
struct geometry {
  std::vector<std::size_t> widths;  // the name column, then one per column
  std::size_t ratio_width = 0;      // after each column with ratios
  std::size_t total = 0;            // the width of the header and rules
};

geometry measure(const laid_out_table& t, bool pytest_layout) {
  geometry g;
  std::size_t name_width = t.labels[0].size();
  for (const auto& row : t.rows)
    name_width = std::max(name_width, row.short_name.size());
  g.widths.push_back(3 + name_width);
  for (std::size_t i = 0; i + 1 < t.labels.size(); ++i) {
    std::size_t w = t.labels[i + 1].size();
    for (const auto& row : t.rows) {
      if (!row.cells.empty())
        w = std::max(w, row.cells[i].text.size());
    }
    g.widths.push_back(2 + w);
  }
  if (!t.solo) {
    g.ratio_width = pytest_layout ? pytest_ratio_width : 0;
    for (const auto& row : t.rows) {
      for (const auto& cell : row.cells) {
        if (!cell.ratio.empty())
          g.ratio_width = std::max(g.ratio_width, 1 + cell.ratio.size());
      }
    }
  }
  for (std::size_t i = 0; i < g.widths.size(); ++i) {
    g.total += g.widths[i];
    if (i > 0 && has_ratio(t, i - 1))
      g.total += g.ratio_width;
  }
  return g;
}

// `text` cut to `width` characters, "..." marking the cut; 0: no limit.
std::string cut(const std::string& text, std::size_t width) {
  if (width == 0 || text.size() <= width)
    return text;
  return width <= 3 ? text.substr(0, width) : text.substr(0, width - 3) + "...";
}

}  // namespace

std::size_t term_table_width(const laid_out_table& t) {
  return measure(t, false).total;
}

void write_term_table(std::ostream& out, const laid_out_table& t, bool use_colour,
                      std::size_t width) {
  const painter paint{use_colour};
  const geometry g = measure(t, width == 0);
  std::string labels = ljust(t.labels[0], g.widths[0]);
  for (std::size_t i = 0; i + 1 < t.labels.size(); ++i) {
    labels += rjust(t.labels[i + 1], g.widths[i + 1]);
    if (has_ratio(t, i))
      labels += std::string(g.ratio_width, ' ');
  }
  std::string title = " " + t.title + " ";
  // A heading wider than the width loses its words, never its group.
  const std::size_t room = std::max(width, labels.size());
  if (width != 0 && title.size() > room && !t.group.empty())
    title = " " + t.group + " (" + std::to_string(t.rows.size()) + ") ";
  if (width != 0 && title.size() > room)
    title = cut(title, room);
  out << paint(center(title, labels.size(), '-'), colour::yellow) << '\n';
  out << labels << '\n';
  out << paint(std::string(labels.size(), '-'), colour::yellow) << '\n';

  for (const auto& row : t.rows) {
    out << ljust(row.short_name, g.widths[0]);
    if (!row.failure.empty()) {
      const std::size_t room = width > g.widths[0] ? width - g.widths[0] : 0;
      out << paint(cut(row.failure, width == 0 ? 0 : std::max<std::size_t>(room, 12)), colour::red,
                   true)
          << '\n';
      continue;
    }
    for (std::size_t i = 0; i + 1 < t.labels.size(); ++i) {
      const auto& cell = row.cells[i];
      if (!has_ratio(t, i)) {
        out << rjust(cell.text, g.widths[i + 1]);
        continue;
      }
      const std::string ratio =
          g.ratio_width ? ljust(cell.ratio.empty() ? "" : " " + cell.ratio, g.ratio_width) : "";
      const colour c = cell.best ? colour::green : cell.worst ? colour::red : colour::none;
      out << paint(rjust(cell.text, g.widths[i + 1]) + ratio, c, true);
    }
    out << '\n';
  }
  out << paint(std::string(labels.size(), '-'), colour::yellow) << "\n\n";
}

namespace {

// The columns to show: all asked for, less the least important ones while
// any table is wider than options.width.
std::vector<column> fitted_columns(const std::vector<table>& tables,
                                   const render_options& options) {
  std::vector<column> columns = options.columns;
  if (options.width == 0 || !options.drop_columns)
    return columns;
  auto too_wide = [&] {
    return std::any_of(tables.begin(), tables.end(), [&](const table& t) {
      return measure(lay_out(t, columns, options.sort, options.baseline), false).total >
             options.width;
    });
  };
  for (column c : drop_order) {
    if (columns.size() <= 1 || !too_wide())
      break;
    std::erase(columns, c);
  }
  return columns;
}

}  // namespace

namespace {

std::string headings(const std::vector<column>& columns) {
  std::string out;
  for (column c : columns) {
    if (!out.empty())
      out += ", ";
    out += column_heading(c);
  }
  return out;
}

}  // namespace

void write_term(std::ostream& out, const std::vector<table>& tables,
                const render_options& options) {
  if (tables.empty()) {
    out << "no benchmarks in the given files\n";
    return;
  }
  const auto columns = fitted_columns(tables, options);
  const auto costs = fit_cost_columns(tables, options.drop_columns ? options.width : 0);
  for (const auto& t : tables) {
    write_term_table(out, lay_out(t, columns, options.sort, options.baseline), options.colour,
                     options.width);
    // The latency tail only where there is room for it: --wide (no width limit).
    for (const auto& under :
         {lay_out_costs(t, costs.shown), options.width == 0 ? lay_out_latency(t) : std::nullopt}) {
      if (under)
        write_term_table(out, *under, options.colour, options.width);
    }
  }
  const auto shown = [&](column c) {
    return std::find(columns.begin(), columns.end(), c) != columns.end();
  };
  out << "Legend:\n";
  if (any_ratios(tables))
    write_legend_item(out, ratio_legend(options.baseline), options.width);
  if (shown(column::outliers))
    write_legend_item(out, outliers_legend(), options.width);
  if (shown(column::ops))
    write_legend_item(out, ops_legend(), options.width);
  write_legend_item(out, load_model_legend(tables), options.width);
  if (const auto legend = cost_legend(costs, options.width); !legend.empty())
    write_legend_item(out, legend, options.width);
  if (const auto legend = latency_legend(tables); options.width == 0 && !legend.empty())
    write_legend_item(out, legend, options.width);
  std::vector<column> dropped;
  for (column c : options.columns) {
    if (!shown(c))
      dropped.push_back(c);
  }
  if (!dropped.empty()) {
    write_legend_item(out,
                      "Left out to fit " + std::to_string(options.width) + " columns: " +
                          headings(dropped) + " (--wide shows every column, --columns picks them).",
                      options.width);
  }
}

}  // namespace poolbench::report
