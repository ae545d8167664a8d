#pragma once
// How quiet the machine is, read before a run and between its cases: the
// load average, CPU steal (a hypervisor giving our vCPUs to someone else),
// the CPU other processes used, CPU pressure (time a runnable task waited),
// and a short calibration (a fixed spin loop timed several times, its CV).
// The parsers and the decision take the /proc text and the readings as
// values, so tests inject a busy machine; measure_noise() reads the real one.
// docs/noise.md gives the measurements behind the thresholds.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::runner {

// The aggregate "cpu" line of /proc/stat, in clock ticks.
struct cpu_ticks {
  std::uint64_t busy = 0;   // user + nice + system + irq + softirq (guest is inside user)
  std::uint64_t idle = 0;   // idle + iowait
  std::uint64_t steal = 0;  // time the hypervisor ran something else on our vCPUs
  [[nodiscard]] std::uint64_t total() const { return busy + idle + steal; }
};

// Each throws std::invalid_argument on text that is not what the kernel writes.
[[nodiscard]] cpu_ticks parse_proc_stat(std::string_view text);
// The 1-minute load average of /proc/loadavg.
[[nodiscard]] double parse_loadavg(std::string_view text);
// utime + stime + cutime + cstime of /proc/<pid>/stat: this process and its
// reaped children (pool workers once waited for), in clock ticks.
[[nodiscard]] std::uint64_t parse_self_stat_ticks(std::string_view text);
// The parent pid (field 4) and utime + stime (fields 14 and 15) of a
// /proc/<pid>/stat line, in clock ticks.
struct stat_parent_ticks {
  long parent = 0;
  std::uint64_t ticks = 0;
};
[[nodiscard]] stat_parent_ticks parse_stat_parent_ticks(std::string_view text);

// The run's own CPU so far, in clock ticks: this process's, its reaped
// children's and its live children's (see proc_snapshot).
[[nodiscard]] std::uint64_t run_ticks();
// The "some ... total=N" of /proc/pressure/cpu, in microseconds.
[[nodiscard]] std::uint64_t parse_cpu_pressure_total_us(std::string_view text);

// One reading of /proc at a time point: the machine's ticks, the run's own
// ticks, CPU pressure when the kernel has PSI. The run's own are this
// process's, its reaped children's and its live children's: the embedded
// server and pool workers not yet reaped work between cases too (closing
// the 4096 connections of the case before, say), and that is not another
// process's load. A child reaped inside the window moves from the live sum
// to the reaped one, so it is counted once.
struct proc_snapshot {
  double at_s = 0;  // steady clock, seconds
  cpu_ticks machine;
  std::uint64_t own = 0;
  std::optional<std::uint64_t> pressure_us;
};

// The coefficient of variation (sample stddev / mean) of the calibration
// times; 0 for fewer than two.
[[nodiscard]] double coefficient_of_variation(const std::vector<double>& values);

// What one check read, over a window of `window_s` seconds.
struct noise_readings {
  double load_1m = 0;
  unsigned cpus = 1;
  double window_s = 0;
  double steal_fraction = 0;           // steal ticks / all ticks of the window
  double other_cpus = 0;               // CPUs' worth of time others used (1.0 = one CPU, fully)
  std::optional<double> cpu_pressure;  // share of the window some task waited for a CPU
  std::vector<double> calibration_s;   // the spin loop's times; empty for a re-check
  double calibration_cv = 0;
  // The machine's wake-up latency (wakeup_latency.hpp): the median round
  // trip of a byte between two threads; the start check only. Not a reason
  // to call the machine busy: it is what the machine is, recorded so cases
  // it bounds can be named.
  std::optional<double> wakeup_round_trip_s;
};

// The readings of the window between two snapshots on a machine with `cpus`
// CPUs (load_1m and the calibration are left for the caller).
[[nodiscard]] noise_readings readings_between(const proc_snapshot& first, const proc_snapshot& last,
                                              unsigned cpus);

// Above any of these the machine is busy. The reasons behind each number are
// in docs/noise.md.
struct noise_thresholds {
  double max_load_per_cpu = 0.5;  // the start check only: load lags by a minute
  double max_steal_fraction = 0.02;
  double max_other_cpus = 0.25;
  double max_cpu_pressure = 0.10;
  double max_calibration_cv = 0.03;
};

// A start check busy on the load alone while the run queue, sampled right
// then, was quiet: the load was left from earlier work (load_settle.hpp).
struct stale_load_reading {
  double run_queue = 0;  // other runnable + uninterruptible tasks, mean of the samples
  double window_s = 0;
  std::size_t samples = 0;
};

struct noise_record {
  std::string when;  // "start", or "before <case>" for a re-check
  noise_readings readings;
  bool busy = false;
  std::vector<std::string> reasons;              // one per threshold crossed, with the numbers
  std::optional<stale_load_reading> stale_load;  // set only when the load was judged stale
};

// The decision: busy when any reading crosses its threshold (the load only
// when `use_load`: during a run the runner's own work is in it).
[[nodiscard]] noise_record decide(std::string when, const noise_readings& readings,
                                  const noise_thresholds& limits = {}, bool use_load = true);

struct noise_options {
  std::chrono::milliseconds window{500};             // /proc/stat deltas over this long
  std::size_t calibration_runs = 9;                  // spin loop timings (0: none)
  std::uint64_t calibration_iterations = 4'000'000;  // about 5-10 ms a run here
  std::size_t wakeup_round_trips = 2000;             // about 40-100 ms here (0: none)
  noise_thresholds limits;
};

// The full check, at the start of a run: readings over options.window, with
// the calibration run inside the window (its CPU is ours, subtracted).
[[nodiscard]] noise_record measure_noise(const noise_options& options = {});

// The cheap check between cases: a short window (200 ms by default), no
// calibration, no load average in the decision.
[[nodiscard]] noise_record recheck_noise(
    const std::string& when, std::chrono::milliseconds window = std::chrono::milliseconds(200),
    const noise_thresholds& limits = {});

// {"when", "load_1m", "cpus", "window_s", "steal_fraction", "other_cpus",
//  "cpu_pressure" (null when unreadable), "calibration_s": [...],
//  "calibration_cv", "wakeup_round_trip_us" (the start check only, when
//  measured), "busy", "reasons": [...], and "stale_load": {"run_queue",
//  "window_s", "samples"} when the load was judged stale}
[[nodiscard]] nlohmann::ordered_json to_json(const noise_record& record);

// One stderr line for a busy record: "poolbench: the machine is busy (...):
// results may be unstable"; "" for a quiet one.
[[nodiscard]] std::string busy_warning(const noise_record& record);

}  // namespace poolbench::runner
