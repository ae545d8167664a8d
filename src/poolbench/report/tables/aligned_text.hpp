#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

// The columns `text` takes in a terminal: its UTF-8 characters ("±", "µ"
// and "×" are one column each, though several bytes).
[[nodiscard]] std::size_t columns_of(std::string_view text);

// Rows of cells as plain-text columns two spaces apart: the first and the
// last column left-aligned (a name, a verdict), the others right-aligned
// (numbers). Used by compare and the run summary. `width` > 0: a last cell
// that would run past it wraps at spaces onto lines indented to its column
// (or, when the other columns leave it under 16 columns, onto lines of its
// own below the row).
void write_aligned(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                   const std::string& indent = "", std::size_t width = 0);

// Whether write_aligned(rows, indent, width) keeps every row on its columns:
// the columns before the last leave the last at least 16 columns of `width`
// (0: always).
[[nodiscard]] bool aligned_fits(const std::vector<std::vector<std::string>>& rows,
                                const std::string& indent, std::size_t width);

// `text` wrapped at spaces into lines of at most `width` columns (0: one
// line): the first line starts with `first`, the others with `rest`.
void write_wrapped(std::ostream& out, std::string_view text, std::size_t width,
                   const std::string& first, const std::string& rest);

// One legend item: "  text", wrapped at spaces into lines of at most
// `width` columns (0: one line), continuation lines indented further.
void write_legend_item(std::ostream& out, std::string_view text, std::size_t width);

}  // namespace poolbench::report
