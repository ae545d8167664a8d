#pragma once

#include <poolbench/report/result.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

enum class verdict {
  faster,   // significantly faster (U test p < alpha, mean went down)
  slower,   // significantly slower
  same,     // no significant difference: within noise
  unknown,  // too few values for a U test (fewer than 2 on a side)
};

[[nodiscard]] const char* to_string(verdict v) noexcept;

// One benchmark present in both files.
struct comparison {
  std::string name;
  statistics base;
  statistics candidate;
  double mean_change = 0;  // (new - old) / old, e.g. 0.05 = 5 % slower
  double median_change = 0;
  std::optional<double> p_value;  // two-sided Mann-Whitney U
  std::size_t base_values = 0;    // how many values the U test saw per side
  std::size_t candidate_values = 0;
  verdict result = verdict::unknown;
};

struct comparison_report {
  std::string base_file;
  std::string candidate_file;
  std::vector<comparison> common;  // in the base file's order
  std::vector<std::string> only_in_base;
  std::vector<std::string> only_in_candidate;
  double alpha = 0.05;
};

// Matches benchmarks by name and tests each pair. The U test runs on the
// per-round times when both files kept them, else on per-repetition times
// (as Google Benchmark's compare.py does); files with summaries only get
// verdict::unknown.
[[nodiscard]] comparison_report compare_results(const result_file& base,
                                                const result_file& candidate, double alpha = 0.05);

// The benchmarks that are significantly slower by more than `percent` (of
// the base mean): what --fail-above reports.
[[nodiscard]] std::vector<const comparison*> regressions(const comparison_report& report,
                                                         double percent);

// The comparison as an aligned text table, then the benchmarks present in
// one file only, then how the test was done.
void write_comparison(std::ostream& out, const comparison_report& report);

}  // namespace poolbench::report
