#pragma once
// Internal: the one splitter of the schema's texts (a case name on '/', a
// drawn delay's name form on '_', its arguments on ',').

#include <string_view>
#include <vector>

namespace poolbench::results::detail {

// Every part of `text` between the `by`s, empty ones included.
[[nodiscard]] inline std::vector<std::string_view> split(std::string_view text, char by) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto at = text.find(by, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos)
      return parts;
    start = at + 1;
  }
}

}  // namespace poolbench::results::detail
