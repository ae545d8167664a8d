#pragma once
// The process pool's fork-safety check: fork() copies only the calling
// thread, so the pool refuses to fork while other threads of this process
// may hold locks (process_pool_executor.hpp states the rule).

#include <cstddef>

namespace poolbench::detail {

// Threads of this process that can still run code: /proc/self/task minus the
// threads that are already exiting. A joined thread may stay listed for a
// moment after join() returns (the kernel wakes the joiner before it
// releases the task); it is exiting by then (PF_EXITING is set before the
// wake-up), so it is not counted and a start/join right before the check
// cannot make it fail. Returns 1 when /proc is unavailable (nothing cheap to
// check).
[[nodiscard]] std::size_t live_threads();

// Threads the sanitizer runtimes start on their own (TSan's background
// thread); they hold no lock a forked child could need.
[[nodiscard]] std::size_t runtime_threads() noexcept;

// Throws std::logic_error naming the thread count when threads other than
// the caller and the runtime's own are live.
void require_single_thread();

}  // namespace poolbench::detail
