#pragma once
// The load average lags by a minute. Right after a build, or after our own
// previous run (4096 workers put the 1-minute load above 20 on 2 CPUs), the
// start check reads "busy" on the load alone while every instantaneous
// reading (other processes' CPU, CPU pressure, steal, the calibration) is
// quiet. Such a machine is quiet; it only needs the minute to pass. A
// machine busy for any other reason is refused at once, so a publishing
// script still stops within seconds on a really busy machine.

#include <poolbench/runner/noise_guard.hpp>

#include <chrono>
#include <functional>
#include <ostream>

namespace poolbench::runner {

// Busy on the load average alone: every other reading of `record` is within
// its threshold.
[[nodiscard]] bool busy_only_by_load(const noise_record& record,
                                     const noise_thresholds& limits = {});

struct settle_options {
  std::chrono::seconds limit{0};  // 0: never wait
  std::chrono::seconds step{10};  // between checks
};

// Measures with `measure` and, while the result is busy only by load and
// `limit` is not spent, waits `step` (with `wait`) and measures again, with
// one line on `log` per wait. Returns the last record, with the seconds
// waited in `waited`.
using measure_fn = std::function<noise_record()>;
using wait_fn = std::function<void(std::chrono::seconds)>;
[[nodiscard]] noise_record settle_load(const settle_options& options, const measure_fn& measure,
                                       const wait_fn& wait, std::ostream& log,
                                       std::chrono::seconds& waited);

}  // namespace poolbench::runner
