#include <poolbench/runner/cost_meter.hpp>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>

namespace poolbench::runner {
namespace {

// A power of two: the rounds after which PSS is sampled.
bool sampled_round(std::size_t round) {
  return round != 0 && (round & (round - 1)) == 0;
}

}  // namespace

double window_cost::client_busy() const {
  const double capacity = wall_seconds * static_cast<double>(std::max<std::size_t>(client_cpus, 1));
  return capacity > 0 ? client_cpu_seconds / capacity : 0.0;
}

std::optional<double> window_cost::server_busy() const {
  if (!server_cpu_seconds)
    return std::nullopt;
  const double capacity = wall_seconds * static_cast<double>(std::max<std::size_t>(server_cpus, 1));
  return capacity > 0 ? *server_cpu_seconds / capacity : 0.0;
}

std::optional<double> window_cost::cpu_busy() const {
  if (!server_cpu_seconds)
    return std::nullopt;
  const double capacity =
      wall_seconds * static_cast<double>(std::max<std::size_t>(machine_cpus, 1));
  return capacity > 0 ? (client_cpu_seconds + *server_cpu_seconds) / capacity : 0.0;
}

cost_meter::cost_meter(cost_scope scope) : scope_(scope) {}

cost_meter::snapshot cost_meter::take_snapshot() {
  const auto self = self_usage();
  const auto children = reaped_children_usage();
  return {self.cpu_seconds, self.context_switches, children.cpu_seconds, children.context_switches};
}

void cost_meter::take_baseline() {
  // Free heap pages an earlier case left resident go back to the kernel
  // first: otherwise the pool's allocations land in them unseen, and how
  // much of the pool is seen would depend on what ran before.
  ::malloc_trim(0);
  baseline_own_kib_ = pss_of(::getpid()).value_or(pss_reading{}).own_kib;
}

void cost_meter::sample_pss(const std::vector<pid_t>& workers) {
  pss_reading sum = pss_of(::getpid()).value_or(pss_reading{});
  for (pid_t pid : workers) {
    const auto r = pss_of(pid).value_or(pss_reading{});
    sum.total_kib += r.total_kib;
    sum.own_kib += r.own_kib;
  }
  peak_pss_kib_ = std::max(peak_pss_kib_, sum.total_kib);
  peak_own_kib_ = std::max(peak_own_kib_, sum.own_kib);
}

void cost_meter::start(const std::vector<pid_t>& workers) {
  peak_pss_kib_ = 0;
  peak_own_kib_ = 0;
  sample_pss(workers);
  workers_at_start_.clear();
  for (pid_t pid : workers) {
    if (const auto usage = usage_of(pid))
      workers_at_start_[pid] = *usage;
  }
  server_at_start_.reset();
  if (scope_.server_pid) {
    if (const auto usage = usage_of(*scope_.server_pid))
      server_at_start_ = usage->cpu_seconds;
  }
  sampling_cpu_ = 0;
  sampling_switches_ = 0;
  sampling_wall_ = 0;
  // Last, so that reading /proc is outside the window.
  start_ = take_snapshot();
  started_ = std::chrono::steady_clock::now();
}

void cost_meter::after_round(std::size_t round, std::size_t rounds, const worker_pids& workers) {
  if (!sampled_round(round) || round >= rounds)
    return;
  // Worker processes are sampled at start() and finish() only: reading the
  // smaps_rollup of 1024 process-pool workers between rounds made the round
  // after it 12% slower (median, 2026-12-01, results/PERFORMANCE.md), though
  // the reading itself is not timed. This process alone is one cheap read.
  const auto pids = workers();
  if (!pids.empty())
    return;
  const auto wall = std::chrono::steady_clock::now();
  const auto before = thread_usage();
  sample_pss(pids);
  const auto after = thread_usage();
  sampling_cpu_ += after.cpu_seconds - before.cpu_seconds;
  sampling_switches_ += after.context_switches - before.context_switches;
  sampling_wall_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
}

window_cost cost_meter::finish(const std::vector<pid_t>& workers, std::size_t requests) {
  // First, so that reading /proc is outside the window.
  const auto end = take_snapshot();
  window_cost cost;
  cost.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count() -
      sampling_wall_;
  cost.requests = requests;
  std::optional<double> server_at_end;
  if (scope_.server_pid && server_at_start_) {
    if (const auto usage = usage_of(*scope_.server_pid))
      server_at_end = usage->cpu_seconds;
  }

  cost.client_cpu_seconds =
      (end.self_cpu - start_.self_cpu) + (end.children_cpu - start_.children_cpu) - sampling_cpu_;
  cost.client_switches = (end.self_switches - start_.self_switches) +
                         (end.children_switches - start_.children_switches);
  cost.client_switches -= std::min(cost.client_switches, sampling_switches_);
  auto gone = workers_at_start_;
  for (pid_t pid : workers) {
    const auto now = usage_of(pid);
    if (!now)
      continue;  // exited after the snapshot: counted from its reaping, later
    process_usage before;
    if (const auto it = gone.find(pid); it != gone.end()) {
      before = it->second;
      gone.erase(it);
    }
    cost.client_cpu_seconds += now->cpu_seconds - before.cpu_seconds;
    cost.client_switches += now->context_switches - before.context_switches;
  }
  // Reaped inside the window: RUSAGE_CHILDREN holds their whole life.
  for (const auto& [pid, before] : gone) {
    cost.client_cpu_seconds -= before.cpu_seconds;
    cost.client_switches -= std::min(cost.client_switches, before.context_switches);
  }
  cost.client_cpu_seconds = std::max(cost.client_cpu_seconds, 0.0);

  if (server_at_end)
    cost.server_cpu_seconds = std::max(*server_at_end - *server_at_start_, 0.0);
  sample_pss(workers);
  cost.peak_pss_kib = peak_pss_kib_;
  cost.baseline_own_kib = baseline_own_kib_;
  cost.peak_own_kib = peak_own_kib_;
  cost.machine_cpus = usable_cpus();
  cost.client_cpus = std::min(usable_cpus(), std::max<std::size_t>(scope_.client_threads, 1));
  if (scope_.server_pid) {
    cost.server_cpus =
        std::min(usable_cpus(*scope_.server_pid), std::max<std::size_t>(scope_.server_threads, 1));
  }
  return cost;
}

}  // namespace poolbench::runner
