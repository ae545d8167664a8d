#pragma once
// The answer at a glance: at most five sentences computed from the claims
// (never typed) that open "What the results say" on the page, in the
// terminal and in the README's generated block. They lead with what a reader
// decides on: the time verdict among the workloads that measured the pools
// (no side server-, client- or wake-up-bound: a bound case never leads),
// where those tie, then the cost (client CPU, the pool's own memory), then
// the bound workloads as what they measured. Each aggregates claims rather
// than listing them, and every ratio says it is against the runner-up.

#include <poolbench/report/claims/claims.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

[[nodiscard]] std::vector<std::string> answer_sentences(const results_claims& claims);

}  // namespace poolbench::report
