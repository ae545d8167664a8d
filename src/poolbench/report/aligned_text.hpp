#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

// Rows of cells as plain-text columns two spaces apart: the first and the
// last column left-aligned (a name, a verdict), the others right-aligned
// (numbers). Used by compare and the run summary.
void write_aligned(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                   const std::string& indent = "");

}  // namespace poolbench::report
