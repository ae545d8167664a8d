#pragma once

#include <poolbench/report/input/result.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// One property of a run (its machine or a setting) and its value in each of
// two result files: what `compare` names in its header, so a verdict that a
// change of machine or of settings produced is never read as the code's.
struct file_difference {
  std::string label;      // "CPU model", "repetitions", ...
  std::string base;       // "" when the old file does not record it
  std::string candidate;  // "" when the new file does not record it
  bool machine = false;   // a property of the hardware or the kernel
};

// Every machine property (CPU model, MHz, CPUs, kernel), the server kind,
// the build type, and every run setting (rounds, min-time, repetitions,
// warm-up rounds, keep-alive policy) whose values differ between the files.
// A property neither file records is skipped; one only a file records is a
// difference. Google Benchmark files keep these in `context`; pytest-benchmark
// files only the CPU, its count and the kernel release (machine_info).
[[nodiscard]] std::vector<file_difference> file_differences(const result_file& base,
                                                            const result_file& candidate);

// Whether any difference is of the machine: its verdicts may be the machine's.
[[nodiscard]] bool machines_differ(const std::vector<file_difference>& differences);

// "Intel(R) Xeon(R) Processor, 2 CPUs at 2100 MHz, Linux 6.1 x86_64", from
// what the file records, or "" when it records none of it.
[[nodiscard]] std::string machine_text(const result_file& file);

}  // namespace poolbench::report
