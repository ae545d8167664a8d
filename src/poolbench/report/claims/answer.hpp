#pragma once
// The answer at a glance: at most five sentences computed from the claims
// (never typed) that open "What the results say" on the page, in the
// terminal and in the README's generated block. Each aggregates claims
// rather than listing them: which pool is fastest where, by how much and
// with what intervals; where the pools tie; which is cheapest in client CPU
// and in memory; where a server or client bound hides the pools.

#include <poolbench/report/claims/claims.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

[[nodiscard]] std::vector<std::string> answer_sentences(const results_claims& claims);

}  // namespace poolbench::report
