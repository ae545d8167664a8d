#include "signal_waiter.hpp"

#include <pthread.h>

namespace poolbench::server {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

signal_waiter::signal_waiter(std::function<void()> on_signal) : on_signal_(std::move(on_signal)) {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
  thread_ = std::thread([this] {
    const sigset_t wanted = stop_signals();
    for (;;) {
      int signal = 0;
      if (sigwait(&wanted, &signal) != 0)
        continue;
      if (closing_)
        return;
      on_signal_();
    }
  });
}

signal_waiter::~signal_waiter() {
  closing_ = true;
  // Directed at the waiting thread, where the signal is blocked: sigwait()
  // takes it; it never reaches a handler or another thread.
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

}  // namespace poolbench::server
