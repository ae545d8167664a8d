#pragma once
// What the result file records of one benchmark case beyond Google
// Benchmark's runs: the raw round times and per-request latencies, and the
// case's failure, if any.

#include <string>
#include <vector>

namespace poolbench::runner {

struct case_record {
  std::vector<std::vector<double>> rounds;  // per repetition run, the timed round times (s)
  // Per request, every timed round of every repetition (s). The closed loop
  // keeps them in fixed-size histograms while it runs (memory retained by the
  // runner must not grow with the requests: every fork of a process pool
  // copies its page tables) and fills these after the run, each value at its
  // bin's centre (within 0.9 %), the maximum exact: latency_histogram.
  std::vector<double> service;
  std::vector<double> queue;
  std::string error;  // the case's first failure; empty when every repetition passed
};

}  // namespace poolbench::runner
