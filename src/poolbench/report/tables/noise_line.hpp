#pragma once
// The page's and the terminal's first line when a result was measured on a
// busy machine: the runner's noise guard stores its record as the context's
// "noise" (to_json of poolbench::runner::noise_monitor: "busy", "reasons",
// the numbers), and a run published with scripts/bench --allow-busy must say
// so before any claim is read.

#include <poolbench/report/input/result.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

// "Measured on a busy machine: latest.json (load average 3.80 on 2 CPUs
// (above 0.50 per CPU); ...). Its numbers may be noise (docs/noise.md)."
// One line naming every busy file; "" when none is (files without a noise
// record, such as older ones or pytest-benchmark's, are not judged). A
// record that is not JSON counts as busy: nothing vouches for it.
[[nodiscard]] std::string busy_machine_line(const std::vector<result_file>& files);

// What the guard read on a quiet machine, so every published figure comes
// with its load: "Measured on a quiet machine: latest.json at load 0.77 on 2
// CPUs (other processes 0.00 CPUs, CPU pressure 0.0%, calibration CV 0.4%;
// 31 of 31 re-checks between cases quiet)." A load the start check judged
// stale (--settle: the run queue was quiet) is named as such. "" when no
// file has a quiet, readable record; busy files are busy_machine_line's.
[[nodiscard]] std::string quiet_machine_line(const std::vector<result_file>& files);

}  // namespace poolbench::report
