// GitHub-flavoured Markdown tables: the same cells as the terminal table,
// best value of each column in bold instead of green, full names. A failed
// benchmark's row says so in its first cell and leaves the others empty. A
// bound case's name carries its mark, "[server-bound]", as in the terminal.

#include <poolbench/report/tables/table_format.hpp>

#include <poolbench/report/tables/cost_table.hpp>

namespace poolbench::report {
namespace {

std::string escape_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

void write_markdown_table(std::ostream& out, const laid_out_table& t) {
  out << '|';
  for (const auto& label : t.labels)
    out << ' ' << escape_cell(label) << " |";
  out << "\n| :---";
  for (std::size_t i = 1; i < t.labels.size(); ++i)
    out << " | ---:";
  out << " |\n";
  for (const auto& row : t.rows) {
    out << "| " << escape_cell(row.name) << " |";
    if (!row.failure.empty()) {
      out << " **" << escape_cell(row.failure) << "** |";
      for (std::size_t i = 2; i < t.labels.size(); ++i)
        out << "  |";
      out << '\n';
      continue;
    }
    for (const auto& cell : row.cells) {
      std::string text = cell.text + (cell.ratio.empty() ? "" : " " + cell.ratio);
      if (cell.best)
        text = "**" + text + "**";
      out << ' ' << text << " |";
    }
    out << '\n';
  }
}

void write_captioned_markdown(std::ostream& out, const std::optional<laid_out_table>& t) {
  if (!t)
    return;
  out << "**" << escape_cell(t->title) << "**" << (t->caption.empty() ? "" : " " + t->caption)
      << "\n\n";
  write_markdown_table(out, *t);
  out << '\n';
}

void write_markdown(std::ostream& out, const std::vector<table>& tables,
                    const render_options& options) {
  if (tables.empty()) {
    out << "No benchmarks in the given files.\n";
    return;
  }
  const auto costs = fit_cost_columns(tables, 0);
  for (const auto& t : tables) {
    write_captioned_markdown(out, lay_out(t, options.columns, options.sort, options.baseline));
    write_captioned_markdown(out, lay_out_costs(t, costs.shown));
  }
  if (any_ratios(tables))
    out << "- " << ratio_legend(options.baseline) << '\n';
  out << "- " << outliers_legend() << '\n';
  out << "- " << ops_legend() << '\n';
  out << "- " << load_model_legend(tables) << '\n';
  if (const auto legend = cost_legend(costs, 0); !legend.empty())
    out << "- " << legend << '\n';
}

}  // namespace poolbench::report
