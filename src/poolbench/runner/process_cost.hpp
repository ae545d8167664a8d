#pragma once
// What a process costs, read from the kernel: CPU time, context switches and
// proportional set size (PSS). The cost meter (cost_meter.hpp) snapshots
// these around the timed rounds; these functions only read.
//
// Precision matters more than the source: /proc/<pid>/stat's utime + stime
// are in clock ticks (10 ms at USER_HZ 100), too coarse for a worker that
// ran 50 ms, so another process's CPU is the sum of its threads'
// sum_exec_runtime from /proc/<pid>/task/<tid>/schedstat (nanoseconds),
// falling back to that thread's stat ticks when schedstat is missing.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace poolbench::runner {

struct process_usage {
  double cpu_seconds = 0;              // user + system
  std::uint64_t context_switches = 0;  // voluntary + involuntary
};

// This process, every thread it ever ran (getrusage RUSAGE_SELF).
[[nodiscard]] process_usage self_usage();

// The calling thread alone (getrusage RUSAGE_THREAD).
[[nodiscard]] process_usage thread_usage();

// Every child of this process that has been waited for, and their waited-for
// descendants (getrusage RUSAGE_CHILDREN): a child counts once it is reaped.
[[nodiscard]] process_usage reaped_children_usage();

// Another process's live threads (/proc/<pid>/task/*): schedstat's run time
// and status's voluntary_ctxt_switches + nonvoluntary_ctxt_switches. Threads
// that already ended are not counted. Nothing when the process is gone.
[[nodiscard]] std::optional<process_usage> usage_of(pid_t pid);

// A process's proportional set size from /proc/<pid>/smaps_rollup, in KiB.
struct pss_reading {
  std::uint64_t total_kib = 0;  // Pss: every page, a shared one divided among its sharers
  // Pss_Anon + Pss_Shmem: the process's own memory (heap, stacks, buffers,
  // shared anonymous maps), divided only among the processes of this tree
  // that were forked with it. File pages (the program, libstdc++, libc) are
  // shared with unrelated processes and reclaimed under memory pressure, so
  // their share moves with whatever else runs; these pages do not. Equal to
  // total_kib on a kernel older than 5.7, which has no Pss_Anon.
  std::uint64_t own_kib = 0;
};

// Nothing when smaps_rollup cannot be read (the process is gone, or a kernel
// older than 4.14).
[[nodiscard]] std::optional<pss_reading> pss_of(pid_t pid);

// CPUs a process may run on (sched_getaffinity; 0 = this one), at least 1.
[[nodiscard]] std::size_t usable_cpus(pid_t pid = 0);

}  // namespace poolbench::runner
