#pragma once
// One line of where a result file came from, for a reader above its tables:
// revision, build, machine, load and the run's settings, as recorded in the
// file's context (docs/result-format.md). Files without that context (other
// projects' Google Benchmark JSON, pytest-benchmark) say what they have.

#include <poolbench/report/input/result.hpp>

#include <cstddef>
#include <string>

namespace poolbench::report {

// `width` > 0: wrapped at its "; " separators into lines of at most that
// many columns (continuations indented by two), so a terminal table's width
// is kept and no value is cut in the middle.
[[nodiscard]] std::string provenance_line(const result_file& file, std::size_t width = 0);

}  // namespace poolbench::report
