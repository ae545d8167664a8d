#pragma once

#include <poolbench/report/ratio_estimate.hpp>
#include <poolbench/report/result.hpp>
#include <poolbench/report/verdict.hpp>

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

// One benchmark present in both files.
struct comparison {
  std::string name;
  // Per-round statistics, for display only: rounds of one repetition are not
  // independent, so no test runs on them.
  statistics base;
  statistics candidate;
  // Over repetition means: the unit of inference.
  ratio_estimate estimate;
  std::optional<double> corrected_p;  // Holm over every benchmark tested in this comparison
  verdict result = verdict::inconclusive;
  // verdict::failed: which file(s) and the first error message.
  bool failed_in_base = false;
  bool failed_in_candidate = false;
  std::string failure;
};

struct verdict_counts {
  std::array<std::size_t, 5> by_verdict{};  // indexed by verdict
  [[nodiscard]] std::size_t operator[](verdict v) const {
    return by_verdict[static_cast<std::size_t>(v)];
  }
};

struct comparison_report {
  std::string base_file;
  std::string candidate_file;
  std::vector<comparison> common;  // in the base file's order
  std::vector<std::string> only_in_base;
  std::vector<std::string> only_in_candidate;
  decision_rule rule;
  std::size_t tests = 0;  // U tests run: the m of the Holm correction

  [[nodiscard]] verdict_counts counts() const;
  // A gate's answer: some benchmark is `slower`, or failed in the new file
  // (a broken build must not pass). A failure only in the old file does not
  // fail the gate.
  [[nodiscard]] bool gate_fails() const;
};

// Matches benchmarks by name; for each pair, the U test and the bootstrap
// interval over repetition means, the Holm correction across all pairs, and
// the verdict of `rule` (see verdict.hpp).
[[nodiscard]] comparison_report compare_results(const result_file& base,
                                                const result_file& candidate,
                                                const decision_rule& rule = {});

// The comparison as an aligned text table (old, new, ratio with its
// interval, corrected p, verdict), the benchmarks present in one file only,
// a line counting verdicts, and how they were decided.
void write_comparison(std::ostream& out, const comparison_report& report);

// "357.0900 us" style, or "n/a".
[[nodiscard]] std::string time_text(double seconds);

}  // namespace poolbench::report
