#include <poolbench/cli/text_wrap.hpp>

#include <algorithm>

namespace poolbench::cli {
namespace {

void wrap_paragraph(std::string_view paragraph, std::size_t width, std::vector<std::string>& out) {
  const std::size_t indent = std::min(paragraph.find_first_not_of(' '), paragraph.size());
  const std::string lead(indent, ' ');
  std::string line = lead;
  bool empty = true;  // no word on `line` yet
  std::size_t at = indent;
  while (at < paragraph.size()) {
    const std::size_t start = paragraph.find_first_not_of(' ', at);
    if (start == std::string_view::npos)
      break;
    std::size_t end = std::min(paragraph.find(' ', start), paragraph.size());
    // A word too long for any line ("min,max,mean,...") breaks after the
    // last comma that fits, each piece ending its line.
    if (end - start + indent > width) {
      const std::size_t used = empty ? line.size() : line.size() + 1;
      const std::size_t room = used < width ? width - used : 0;
      const auto comma = paragraph.substr(start, std::min(room, end - start)).rfind(',');
      if (comma != std::string_view::npos) {
        if (!empty)
          line += ' ';
        line += paragraph.substr(start, comma + 1);
        out.push_back(line);
        line = lead;
        empty = true;
        at = start + comma + 1;
        continue;
      }
      if (!empty) {  // no comma fits here: try at the start of a line
        out.push_back(line);
        line = lead;
        empty = true;
        continue;
      }
    }
    const std::string_view word = paragraph.substr(start, end - start);
    if (!empty && line.size() + 1 + word.size() > width) {
      out.push_back(line);
      line = lead;
      empty = true;
    }
    if (!empty)
      line += ' ';
    line += word;
    empty = false;
    at = end;
  }
  out.push_back(empty ? std::string() : line);
}

}  // namespace

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
  std::vector<std::string> out;
  if (text.empty())
    return out;
  std::size_t at = 0;
  while (true) {
    const std::size_t end = text.find('\n', at);
    wrap_paragraph(text.substr(at, end == std::string_view::npos ? text.npos : end - at),
                   std::max<std::size_t>(width, 1), out);
    if (end == std::string_view::npos)
      break;
    at = end + 1;
  }
  return out;
}

}  // namespace poolbench::cli
