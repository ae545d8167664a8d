#pragma once
// SIGINT and SIGTERM, taken synchronously: while one of these lives, both
// signals are blocked in the thread that made it (and in every thread it
// starts afterwards), and a thread of its own waits for them in sigwait()
// and calls `on_signal` there, once per signal. No signal handler runs, so
// what `on_signal` may do is not limited to async-signal-safe calls.

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>

namespace poolbench::server {

class signal_waiter {
 public:
  explicit signal_waiter(std::function<void()> on_signal);
  // Wakes the waiting thread, joins it and restores the creating thread's
  // signal mask. Must run on the thread that constructed it.
  ~signal_waiter();
  signal_waiter(const signal_waiter&) = delete;
  signal_waiter& operator=(const signal_waiter&) = delete;

 private:
  sigset_t previous_mask_{};
  // Set by the destructor before it wakes the thread with a SIGTERM of its
  // own: that one is not the user's.
  std::atomic<bool> closing_{false};
  std::function<void()> on_signal_;
  std::thread thread_;
};

}  // namespace poolbench::server
