#pragma once
// What the result file records of one benchmark case beyond Google
// Benchmark's runs: the raw round times, the per-request latencies, and the
// case's failure, if any.

#include <poolbench/results/latency_histogram.hpp>

#include <string>
#include <vector>

namespace poolbench::runner {

struct case_record {
  std::vector<std::vector<double>> rounds;  // per repetition run, the timed round times (s)
  // Per request, every timed round of every repetition that passed (s), in
  // fixed-size histograms: memory retained by the runner must not grow with
  // the requests (every fork of a process pool copies its page tables). Their
  // percentiles are latency_histogram::percentile, the one definition.
  results::latency_histogram service;
  results::latency_histogram queue;
  std::string error;  // the case's first failure; empty when every repetition passed
};

}  // namespace poolbench::runner
