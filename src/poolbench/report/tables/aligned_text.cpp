#include <poolbench/report/tables/aligned_text.hpp>

#include <algorithm>

namespace poolbench::report {
namespace {

// Words of `text` as lines of at most `room` columns, the first of at most
// `first_room` (a longer word gets a line of its own; 0: no limit).
std::vector<std::string> lines_of(std::string_view text, std::size_t room, std::size_t first_room) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto start = text.find_first_not_of(' ', at);
    if (start == std::string_view::npos)
      break;
    const auto end = std::min(text.find(' ', start), text.size());
    const auto word = text.substr(start, end - start);
    const std::size_t limit = lines.empty() ? first_room : room;
    if (!line.empty() && limit > 0 && columns_of(line) + 1 + columns_of(word) > limit) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty())
      line += ' ';
    line += word;
    at = end;
  }
  if (!line.empty() || lines.empty())
    lines.push_back(line);
  return lines;
}

constexpr std::size_t least_room = 16;

// The columns of each cell position over all rows.
std::vector<std::size_t> widths_of(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& r : rows) {
    widths.resize(std::max(widths.size(), r.size()));
    for (std::size_t i = 0; i < r.size(); ++i)
      widths[i] = std::max(widths[i], columns_of(r[i]));
  }
  return widths;
}

}  // namespace

bool aligned_fits(const std::vector<std::vector<std::string>>& rows, const std::string& indent,
                  std::size_t width) {
  const auto widths = widths_of(rows);
  std::size_t before_last = columns_of(indent);
  for (std::size_t i = 0; i + 1 < widths.size(); ++i)
    before_last += widths[i] + 2;
  return width == 0 || before_last + least_room <= width;
}

std::size_t columns_of(std::string_view text) {
  // Every byte that does not continue a UTF-8 sequence starts a character.
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

void write_aligned(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                   const std::string& indent, std::size_t width) {
  const auto widths = widths_of(rows);
  for (const auto& r : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
      const std::string pad(widths[i] - columns_of(r[i]), ' ');
      line += i == 0 ? r[i] + pad : pad + r[i];
      line += "  ";
    }
    const std::string last = r.empty() ? "" : r.back();
    const std::size_t used = columns_of(line);
    if (width == 0 || used + columns_of(last) <= width) {
      out << line << last << '\n';
      continue;
    }
    if (width >= used + least_room) {
      const std::string hanging(used, ' ');
      const auto lines = lines_of(last, width - used, width - used);
      for (std::size_t i = 0; i < lines.size(); ++i)
        out << (i == 0 ? line : hanging) << lines[i] << '\n';
      continue;
    }
    out << line.substr(0, line.find_last_not_of(' ') + 1) << '\n';
    const std::string below = indent + "    ";
    write_wrapped(out, last, width, below, below);
  }
}

void write_wrapped(std::ostream& out, std::string_view text, std::size_t width,
                   const std::string& first, const std::string& rest) {
  const std::size_t lead = std::max(columns_of(first), columns_of(rest));
  const std::size_t room = width > lead ? width - lead : (width == 0 ? 0 : 1);
  const auto lines = lines_of(text, room, room);
  for (std::size_t i = 0; i < lines.size(); ++i)
    out << (i == 0 ? first : rest) << lines[i] << '\n';
}

void write_legend_item(std::ostream& out, std::string_view text, std::size_t width) {
  // The first line's indent is narrower: its room is wider by as much.
  const auto room = [&](std::size_t indent) {
    return width > indent ? width - indent : (width == 0 ? 0 : 1);
  };
  const auto lines = lines_of(text, room(4), room(2));
  for (std::size_t i = 0; i < lines.size(); ++i)
    out << (i == 0 ? "  " : "    ") << lines[i] << '\n';
}

}  // namespace poolbench::report
