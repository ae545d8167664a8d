#pragma once
// The workload a claim is about, as text ("batch=3 delay_ms=0 keepalive=0
// mode=warm workers=3"): the one place that builds it from a benchmark, so
// the claims, the sequential plan and the cost claims find the same
// benchmarks, and the one order the claim tables are read in.

#include <poolbench/report/input/result.hpp>

#include <map>
#include <string>
#include <vector>

namespace poolbench::report {

// The parameters that define a workload (everything but the strategy).
[[nodiscard]] const std::vector<std::string>& workload_keys();

// "key=value" for every workload key the benchmark has, space-separated.
// A poolbench run always has keepalive (results::parameters); a benchmark of
// another program without one opened a connection per request: keepalive=0.
[[nodiscard]] std::string workload_text(const benchmark_result& b);

// The strategy parameter, or "".
[[nodiscard]] std::string strategy_of(const benchmark_result& b);

// The benchmark of `strategy` on `workload` in the file at `source`
// (not failed, not pytest-benchmark's), or nullptr.
[[nodiscard]] const benchmark_result* find_claim_benchmark(const std::vector<result_file>& files,
                                                           const std::string& source,
                                                           const std::string& workload,
                                                           const std::string& strategy);

// "batch=3 delay_ms=0" back to {batch: 3, delay_ms: 0}.
[[nodiscard]] std::map<std::string, std::string> workload_values(const std::string& workload);

// The reading order of claim rows: by batch, then delay_ms, keepalive,
// workers and mode, numbers compared as numbers ("100" after "3").
[[nodiscard]] bool reads_before(const std::string& workload_a, const std::string& workload_b);

}  // namespace poolbench::report
