#pragma once

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/input/result.hpp>

#include <cstddef>
#include <ostream>
#include <vector>

namespace poolbench::report {

// The claims of compute_claims() in two forms: the "What the results say"
// section at the top of results/README.md, and a plain-text summary that
// `show` and a runner's end of run print. Both say the same thing: first the
// computed sentences (answer_sentences), then the time claims and the cost claims,
// each table in reading order (reads_before: batch, delay_ms,
// keepalive, workers, mode).

// Markdown: a `## What the results say` heading, the sentences, how the
// claims were computed, one table row per workload (fastest, runner-up,
// ratio with interval, claim, and the bound side when one was), the cost
// tables, the C++/Python factors.
void write_claims_markdown(std::ostream& out, const results_claims& claims);

// Plain text for a terminal, every line within `width` columns (0: no
// limit): the same rows with a short claim, long cells wrapped.
void print_summary(std::ostream& out, const results_claims& claims, std::size_t width = 120);

}  // namespace poolbench::report
