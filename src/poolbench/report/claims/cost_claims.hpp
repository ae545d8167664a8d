#pragma once
// The cost claims of "What the results say": per workload, which strategy
// needs the least client CPU per request and the least memory, decided by
// the time claims' sequential rule (sequential_family.hpp): the same looks
// (the first look's repetitions, then the allowed total the counters of both
// sides reach), the Welch interval of runner-up / cheapest at 1 - alpha/L
// and the U test at alpha/L, Holm within each metric's family. The cost
// counters are written per repetition, so each repetition is one sample, as
// for times. A memory claim is also a tie, whatever the ratio, when the
// Welch interval of the difference lies within ±memory_tie_mib (small pools'
// memory is no sizing decision however many times apart). And the bound
// marks of every claim.

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/stats_names.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// The absolute equivalence margin of the memory claims, MiB.
inline constexpr double memory_tie_mib = 1.0;

// The counter the memory claims of `files` read: "pool_pss_mib" (the pool's
// own memory; the whole process grows over a run whatever ran in it), or
// "peak_pss_mib" (the whole process) when a file with memory figures has no
// pool_pss_mib (written before it). One counter for every file, so no claim
// or sentence mixes the two; the page and the answer name the one used.
[[nodiscard]] const char* memory_counter_of(const std::vector<result_file>& files);

// The counter a metric of `claims` reads: "client_cpu_us_per_request", or
// claims.memory_counter.
[[nodiscard]] std::string counter_of(const results_claims& claims, cost_metric metric);
// Its unit in words: "µs per request", "MiB".
[[nodiscard]] const char* unit_of(cost_metric metric) noexcept;

// Appends to claims.costs one claim per workload and metric that at least two
// strategies measured (files without cost counters give none), in file
// order, cpu first; each side's bound is marked. `settings` is the rule the
// time claims were decided by (claims.sequential). Sets claims.memory_counter.
void add_cost_claims(const std::vector<result_file>& files, const sequential_settings& settings,
                     results_claims& claims);

// "server-bound: the server, not the pools, was measured", "client-bound
// (async_pool): the client's CPU was saturated, so CPU work, not waiting on
// I/O, was measured", "wake-up-bound: the machine's wake-up latency, not the
// pools, was measured", or "" when neither side was bound.
[[nodiscard]] std::string bound_note(const workload_claim& c);

}  // namespace poolbench::report
