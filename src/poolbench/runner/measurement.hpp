#pragma once
// Step by step, what a poolbench run measures: the plan's cases registered
// with Google Benchmark, run (closed or open loop) with the runs kept in
// memory, and the finished result document built from them.

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/noise_monitor.hpp>
#include <poolbench/runner/run_plan.hpp>
#include <poolbench/runner/server_session.hpp>

#include <poolbench/http/url.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::runner {

// The plan's cases: the default experiment, or the grid of its flags.
[[nodiscard]] std::vector<bench_case> cases_of(const run_plan& plan);

// Hands Google Benchmark its pass-through flags and poolbench's
// interleaving. Returns false (after Google Benchmark named it) when a
// --benchmark_* flag is not one it knows.
[[nodiscard]] bool initialize_google_benchmark(const run_plan& plan, const char* argv0);

struct measurement {
  nlohmann::ordered_json document;  // the result file's content
  std::size_t benchmarks_run = 0;   // 0: --benchmark_filter matched no case
  std::size_t failed_cases = 0;
  // The server went away mid-run: the first failure's "<case>: <error>".
  std::optional<std::string> server_lost;
  // The first case's verification got a wrong answer: the server does not
  // speak the expected protocol; nothing was run. "<case>: <error>".
  std::optional<std::string> wrong_server;
};

// Runs `cases` against `server` (whose CPU is measured beside the client's
// when it is the embedded one) and builds the result document with
// `context` (run_context.hpp) completed by the end-of-run load average and,
// with a `noise` monitor (re-checked between cases), its "noise" record.
// Throws std::invalid_argument for cases the mode cannot run.
[[nodiscard]] measurement measure(const run_plan& plan, std::vector<bench_case> cases,
                                  const server_session& server, nlohmann::ordered_json context,
                                  noise_monitor* noise = nullptr);

}  // namespace poolbench::runner
