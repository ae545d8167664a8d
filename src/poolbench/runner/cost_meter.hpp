#pragma once
// What a window of timed rounds cost the client (poolbench and every worker
// process of its pool) and the embedded server: CPU, context switches, peak
// PSS. Snapshots are taken by the runner's own thread before the first and
// after the last timed round, and PSS between rounds, never from a thread of
// its own: a cold process pool forks inside the rounds, and a sampler thread
// running then could hold a lock (malloc's, stdio's) the child needs - the
// process pool refuses to fork beside other threads for that reason.
//
// Client CPU = this process (getrusage RUSAGE_SELF: every thread, including
// threads a cold pool started and joined inside the window)
//   + children reaped inside the window (RUSAGE_CHILDREN delta: a cold
//     process pool's workers; the embedded server is a child too, but it is
//     reaped only when poolbench ends, so it never falls into a window)
//   + each live worker's CPU at the end minus its CPU at the start (0 for a
//     worker forked inside the window), from /proc (process_cost.hpp)
//   - the start CPU of a worker that was reaped inside the window (its whole
//     life is in the RUSAGE_CHILDREN delta already).

#include <poolbench/runner/process_cost.hpp>

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace poolbench::runner {

struct cost_scope {
  std::size_t client_threads = 1;   // threads or processes the strategy runs requests on
  std::optional<pid_t> server_pid;  // the embedded server; nothing with --url
  std::size_t server_threads = 1;
};

// The cost of one window of timed rounds.
struct window_cost {
  double wall_seconds = 0;
  std::size_t requests = 0;
  double client_cpu_seconds = 0;
  std::uint64_t client_switches = 0;
  std::optional<double> server_cpu_seconds;  // only for a server we started
  std::uint64_t peak_pss_kib = 0;            // runner + live workers, highest sample
  // The runner's own memory (pss_reading::own_kib) alone, before its pool
  // existed, and the highest sample of runner + live workers.
  std::uint64_t baseline_own_kib = 0;
  std::uint64_t peak_own_kib = 0;
  std::size_t client_cpus = 1;   // min(usable CPUs, client threads): the busy denominator
  std::size_t server_cpus = 1;   // min(the server's usable CPUs, its threads)
  std::size_t machine_cpus = 1;  // CPUs poolbench may use: what client and server share

  [[nodiscard]] double client_busy() const;
  [[nodiscard]] std::optional<double> server_busy() const;
  // Client and server CPU over the CPUs they share: near 1, the round
  // times are bound by the machine even when neither side alone is busy.
  [[nodiscard]] std::optional<double> cpu_busy() const;
};

class cost_meter {
 public:
  using worker_pids = std::function<std::vector<pid_t>()>;

  explicit cost_meter(cost_scope scope);

  // The runner's own PSS before the strategy (its pool) is built, after
  // handing free heap pages back to the kernel (malloc_trim).
  void take_baseline();
  // Right before the first timed round.
  void start(const std::vector<pid_t>& workers);
  // After timed round `round` (from 1) of `rounds`: samples PSS after rounds
  // 1, 2, 4, 8, ... but not after the last, which finish() samples, and only
  // while the pool has no worker processes (`workers` empty): reading the
  // smaps_rollup of many workers between rounds slows the next round, so a
  // process pool is sampled at start() and finish() only. What a sample
  // itself costs (this thread's CPU and switches, its wall time) is taken
  // out of the window's figures.
  void after_round(std::size_t round, std::size_t rounds, const worker_pids& workers);
  // Right after the last timed round; samples PSS once more.
  [[nodiscard]] window_cost finish(const std::vector<pid_t>& workers, std::size_t requests);

 private:
  struct snapshot {
    double self_cpu = 0;
    std::uint64_t self_switches = 0;
    double children_cpu = 0;
    std::uint64_t children_switches = 0;
  };
  [[nodiscard]] static snapshot take_snapshot();
  void sample_pss(const std::vector<pid_t>& workers);

  cost_scope scope_;
  std::chrono::steady_clock::time_point started_;
  snapshot start_;
  std::map<pid_t, process_usage> workers_at_start_;
  std::optional<double> server_at_start_;
  double sampling_cpu_ = 0;  // inside the window, taken out in finish()
  std::uint64_t sampling_switches_ = 0;
  double sampling_wall_ = 0;
  std::uint64_t baseline_own_kib_ = 0;
  std::uint64_t peak_pss_kib_ = 0;
  std::uint64_t peak_own_kib_ = 0;
};

}  // namespace poolbench::runner
