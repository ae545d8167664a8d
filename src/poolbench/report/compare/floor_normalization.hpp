#pragma once

#include <poolbench/report/input/result.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// A benchmark `compare --normalize floor` could not express in floors, and why.
struct unnormalized {
  std::string name;
  std::string reason;
};

// A result file with each closed-loop benchmark's time expressed in units of
// its own run's floor of the same workload (floor/batch:N/delay_ms:N with the
// same connection kind): every repetition mean and round divided by the
// floor's mean repetition time, so a machine that is uniformly faster or
// slower cancels. The floors themselves (the yardsticks, always 1) and what
// has no floor in the file (open-loop runs, other programs' benchmarks, a
// workload whose floor failed or is missing) are left out and listed in
// `skipped`. A failed benchmark stays, to be reported as failed.
// The floor's own noise is not carried into the values: its mean over n
// repetitions varies by about its CV / sqrt(n), which the interval of the
// comparison does not include.
struct floor_normalized {
  result_file file;
  std::vector<unnormalized> skipped;
};

[[nodiscard]] floor_normalized normalize_by_floor(const result_file& file);

}  // namespace poolbench::report
