// The terminal table, laid out character for character as pytest-benchmark's
// TableResults.display() does, so the article's table and ours line up.

#include <poolbench/report/table_format.hpp>

#include <algorithm>
#include <string>

namespace poolbench::report {
namespace {

constexpr std::size_t ratio_width = 10;  // pytest-benchmark's rpadding

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

bool has_ratio(column c) {
  return c != column::outliers && c != column::rounds;
}

void write_one(std::ostream& out, const laid_out_table& t, const painter& paint) {
  const std::size_t rpadding = t.solo ? 0 : ratio_width;
  std::vector<std::size_t> widths;
  std::size_t name_width = t.labels[0].size();
  for (const auto& n : t.names)
    name_width = std::max(name_width, n.size());
  widths.push_back(3 + name_width);
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    std::size_t w = t.labels[i + 1].size();
    for (const auto& row : t.cells)
      w = std::max(w, row[i].text.size());
    widths.push_back(2 + w);
  }

  std::string labels = ljust(t.labels[0], widths[0]);
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    labels += rjust(t.labels[i + 1], widths[i + 1]);
    if (has_ratio(t.columns[i]))
      labels += std::string(rpadding, ' ');
  }
  const std::string title = " benchmark" + (t.group.empty() ? "" : " '" + t.group + "'") + ": " +
                            std::to_string(t.names.size()) + " tests ";
  out << paint(center(title, labels.size(), '-'), colour::yellow) << '\n';
  out << labels << '\n';
  out << paint(std::string(labels.size(), '-'), colour::yellow) << '\n';

  for (std::size_t r = 0; r < t.names.size(); ++r) {
    out << ljust(t.names[r], widths[0]);
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const auto& cell = t.cells[r][i];
      if (!has_ratio(t.columns[i])) {
        out << rjust(cell.text, widths[i + 1]);
        continue;
      }
      const std::string ratio =
          rpadding ? ljust(cell.ratio.empty() ? "" : " " + cell.ratio, rpadding) : "";
      const colour c = cell.best ? colour::green : cell.worst ? colour::red : colour::none;
      out << paint(rjust(cell.text, widths[i + 1]) + ratio, c, true);
    }
    out << '\n';
  }
  out << paint(std::string(labels.size(), '-'), colour::yellow) << "\n\n";
}

}  // namespace

void write_term(std::ostream& out, const std::vector<table>& tables,
                const render_options& options) {
  const painter paint{options.colour};
  if (tables.empty()) {
    out << "no benchmarks in the given files\n";
    return;
  }
  for (const auto& t : tables)
    write_one(out, lay_out(t, options.columns, options.sort), paint);
  out << "Legend:\n";
  out << "  " << outliers_legend() << '\n';
  out << "  " << ops_legend() << '\n';
  out << "  " << closed_loop_caveat() << '\n';
}

}  // namespace poolbench::report
