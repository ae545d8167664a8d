#pragma once

#include <poolbench/report/compare/compare.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// What a CI gate (`compare --fail-above`) may let pass that it otherwise
// would not.
struct gate_options {
  // An inconclusive benchmark whose whole interval lies above the margin,
  // or one with no values to judge, passes.
  bool allow_inconclusive = false;
  // Files of different machines are gated (else refused, normalised or not).
  bool allow_other_machine = false;
};

enum class gate_outcome {
  pass,     // exit 0
  fail,     // exit 1: a regression, a failure in the new file, or an undecided slowdown
  refused,  // exit 2: the files cannot answer the gate's question at all
};

struct gate_decision {
  gate_outcome outcome = gate_outcome::pass;
  // One line each, for stderr: why it failed or was refused (empty on pass).
  std::vector<std::string> reasons;
};

// The gate never passes on what it could not decide. In order:
// - refused: the machines differ (CPU model, MHz, CPUs or kernel) and that
//   is not allowed; no benchmark has values to judge (every row n/a); or some
//   benchmark has too few values for the U test ever to reject after the
//   Holm correction over this comparison (the reason names the number a
//   side this comparison needs: repetitions_needed);
// - fail: a benchmark is `slower` (or an open-loop run), failed in the new
//   file, or, unless allowed, is inconclusive with its whole interval above
//   the margin, or has no values to judge;
// - pass otherwise. An inconclusive interval that straddles the margin
//   passes: at a sample size the test can decide, it found no significant
//   slowdown (the output counts them; docs/reading-results.md).
[[nodiscard]] gate_decision decide_gate(const comparison_report& report,
                                        const gate_options& options);

}  // namespace poolbench::report
