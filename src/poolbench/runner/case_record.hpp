#pragma once
// What the result file records of one benchmark case beyond Google
// Benchmark's runs: the raw round times and per-request latencies, and the
// case's failure, if any.

#include <string>
#include <vector>

namespace poolbench::runner {

struct case_record {
  std::vector<std::vector<double>> rounds;  // per repetition run, the timed round times (s)
  std::vector<double> service;  // per request, every timed round of every repetition (s)
  std::vector<double> queue;    // likewise
  std::string error;            // the case's first failure; empty when every repetition passed
};

}  // namespace poolbench::runner
