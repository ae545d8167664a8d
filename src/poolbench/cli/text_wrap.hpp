#pragma once
// Word wrapping for help text.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::cli {

// `text` as lines of at most `width` columns, breaking between words. Each
// newline in `text` starts a new paragraph; a paragraph's leading spaces
// indent all of its lines (so an indented example stays indented). A word
// longer than a line gets a line of its own rather than being cut. An empty
// text is no lines.
[[nodiscard]] std::vector<std::string> wrap(std::string_view text, std::size_t width);

}  // namespace poolbench::cli
