#pragma once
// The load average lags by a minute. Right after a build, or after our own
// previous run (4096 workers put the 1-minute load above 20 on 2 CPUs), the
// start check reads "busy" on the load alone while every instantaneous
// reading (other processes' CPU, CPU pressure, steal, the calibration) is
// quiet. Such a machine is quiet; only the average has not caught up. So,
// when the caller allows it (--settle), a start check busy on the load alone
// samples the run queue itself (run_queue.hpp), which the load average only
// estimates: a quiet queue makes the load stale, and the check quiet at once,
// with the sample recorded. A busy queue is waited for, a step at a time, up
// to the limit.
//
// A reading of the present (other processes' CPU, CPU pressure, steal, the
// calibration) is busy for a reason that may also pass within seconds: the
// step before ours stopping its servers and interpreters, its kernel work
// draining. The published run of 2026-12-07 10:08 started its open loop at
// 0.36 other CPUs that way. So that too is waited for, but only briefly
// (`others_limit`, 30 s): a sustained neighbour is still refused within it.

#include <poolbench/runner/noise_guard.hpp>
#include <poolbench/runner/run_queue.hpp>

#include <chrono>
#include <functional>
#include <ostream>

namespace poolbench::runner {

// Busy on the load average alone: every other reading of `record` is within
// its threshold.
[[nodiscard]] bool busy_only_by_load(const noise_record& record,
                                     const noise_thresholds& limits = {});

// Whether a run queue sample says the load was left from earlier work: fewer
// other tasks runnable on average than the share of a CPU others may use
// (noise_thresholds::max_other_cpus, 0.25), the guard's tightest reading.
[[nodiscard]] bool run_queue_is_quiet(const run_queue_sample& sample,
                                      const noise_thresholds& limits = {});

// `record` (busy on the load alone) made quiet by a quiet run queue `sample`:
// no reasons, not busy, the sample kept in `stale_load`.
[[nodiscard]] noise_record with_stale_load(noise_record record, const run_queue_sample& sample);

struct settle_options {
  std::chrono::seconds limit{0};          // 0: never wait, never sample the queue
  std::chrono::seconds step{10};          // between checks
  std::chrono::seconds others_limit{30};  // of `limit`, the most spent on a busy present
};

// Measures with `measure`. While the result is busy and `limit` is not 0:
// - busy only by load: samples the run queue with `queue`; a quiet one ends
//   the wait at once (with_stale_load); otherwise, while `limit` is not
//   spent, waits `step` (with `wait`) and measures again;
// - busy on another reading: waits `step` and measures again while the
//   seconds waited for such readings stay within `others_limit` (and all
//   within `limit`).
// One line on `log` per decision. Returns the last record, with the seconds
// waited in `waited`.
using measure_fn = std::function<noise_record()>;
using run_queue_fn = std::function<run_queue_sample()>;
using wait_fn = std::function<void(std::chrono::seconds)>;
[[nodiscard]] noise_record settle_load(const settle_options& options, const measure_fn& measure,
                                       const run_queue_fn& queue, const wait_fn& wait,
                                       std::ostream& log, std::chrono::seconds& waited);

}  // namespace poolbench::runner
