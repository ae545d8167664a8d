#pragma once

#include <poolbench/report/claims.hpp>
#include <poolbench/report/result.hpp>

#include <ostream>
#include <vector>

namespace poolbench::report {

// The claims of compute_claims() in two forms: the "What the results say"
// section at the top of results/README.md, and a plain-text summary a runner
// prints at the end of a run. Both say the same thing.

// Markdown: a `## What the results say` heading, one table row per workload
// (fastest, runner-up, ratio with interval, claim), the C++/Python factors,
// and how the claims were computed.
void write_claims_markdown(std::ostream& out, const results_claims& claims);

// Plain text for a terminal: the same rows, aligned.
void print_summary(std::ostream& out, const std::vector<result_file>& files,
                   const decision_rule& rule = {});

}  // namespace poolbench::report
