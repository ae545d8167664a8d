#pragma once
// The width text for people is laid out in.

#include <cstddef>

namespace poolbench::cli {

// $COLUMNS when it is a positive number (shells export it, tests set it),
// else the width of the terminal on stdout (ioctl TIOCGWINSZ), else
// `fallback`: output to a pipe or a file has no width of its own.
[[nodiscard]] std::size_t terminal_width(std::size_t fallback = 80);

}  // namespace poolbench::cli
