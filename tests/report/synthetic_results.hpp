#pragma once

// Shared by the compare and gate tests: benchmarks made of given repetition
// means, and a result file holding them.

#include <poolbench/report/input/result.hpp>
#include <poolbench/stats/statistics.hpp>

#include <string>
#include <vector>

namespace poolbench::report::testing {

// A benchmark of `means.size()` repetitions, each of `rounds_per_repetition`
// rounds equal to its mean (rounds only matter for display).
inline benchmark_result synthetic(const std::string& name, std::vector<double> means,
                                  std::size_t rounds_per_repetition = 1) {
  benchmark_result r;
  r.name = name;
  for (double m : means)
    r.samples.insert(r.samples.end(), rounds_per_repetition, m);
  r.repetition_means = std::move(means);
  r.stats = compute_statistics(r.samples);
  return r;
}

inline result_file file_of(std::vector<benchmark_result> benchmarks, const std::string& path) {
  result_file f;
  f.path = path;
  f.benchmarks = std::move(benchmarks);
  return f;
}

// Nine repetition means around 10 with 1% spread.
inline const std::vector<double> nine = {10.0, 10.1, 9.9, 10.05, 9.95, 10.08, 9.92, 10.02, 9.98};

}  // namespace poolbench::report::testing
