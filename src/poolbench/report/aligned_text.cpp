#include <poolbench/report/aligned_text.hpp>

#include <algorithm>

namespace poolbench::report {

void write_aligned(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                   const std::string& indent) {
  std::vector<std::size_t> widths;
  for (const auto& r : rows) {
    widths.resize(std::max(widths.size(), r.size()));
    for (std::size_t i = 0; i < r.size(); ++i)
      widths[i] = std::max(widths[i], r[i].size());
  }
  for (const auto& r : rows) {
    out << indent;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const std::string pad(widths[i] - r[i].size(), ' ');
      if (i + 1 == r.size()) {
        out << r[i];
      } else if (i == 0) {
        out << r[i] << pad << "  ";
      } else {
        out << pad << r[i] << "  ";
      }
    }
    out << '\n';
  }
}

}  // namespace poolbench::report
