#pragma once
// The run queue now, which the load average only estimates a minute late:
// /proc/stat's procs_running (tasks on a CPU or waiting for one) plus
// procs_blocked (uninterruptible sleep), the two counts the kernel averages
// into /proc/loadavg. Sampled over a few seconds, it tells a load left from
// earlier work (a build that just ended, our own previous step) from a
// machine that is busy now.

#include <chrono>
#include <cstddef>
#include <string_view>

namespace poolbench::runner {

// procs_running + procs_blocked of /proc/stat text. Throws
// std::invalid_argument when either line is missing.
[[nodiscard]] unsigned parse_run_queue(std::string_view proc_stat);

struct run_queue_sample {
  double others_mean = 0;  // tasks besides the sampling thread, mean of the samples
  double window_s = 0;
  std::size_t samples = 0;
};

// Reads /proc/stat every `interval` for `window`; the sampling thread itself
// is running at every read and is not counted.
[[nodiscard]] run_queue_sample sample_run_queue(
    std::chrono::milliseconds window = std::chrono::milliseconds(3000),
    std::chrono::milliseconds interval = std::chrono::milliseconds(20));

}  // namespace poolbench::runner
