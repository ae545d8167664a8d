#pragma once
// The errors every poolbench executor reports, modeled on Python's
// concurrent.futures (RuntimeError after shutdown, CancelledError,
// BrokenProcessPool), plus the default pool size.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

namespace poolbench {

// Base of every error an executor itself raises (not the tasks' own errors).
class executor_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// submit()/map() after shutdown() began (the article's NotRunningException).
class executor_shutdown : public executor_error {
 public:
  executor_shutdown() : executor_error("executor is shut down: cannot submit new tasks") {}
  using executor_error::executor_error;
};

// Held by the future of a task that shutdown(cancel_futures=true) removed
// from the queue before it started.
class task_cancelled : public executor_error {
 public:
  task_cancelled() : executor_error("task cancelled before it started") {}
  using executor_error::executor_error;
};

// Held by the future of an async task whose coroutine was destroyed while it
// ran (its executor went away before the task finished).
class task_abandoned : public executor_error {
 public:
  task_abandoned() : executor_error("task destroyed before it finished: its executor went away") {}
  using executor_error::executor_error;
};

// A process worker died (crash, signal): every in-flight and pending future
// holds this, and submit() throws it from then on.
class broken_pool : public executor_error {
 public:
  using executor_error::executor_error;
};

// An exception thrown by a task inside a process worker. what() is the
// original message; remote_type() names the original exception type.
class remote_task_error : public std::runtime_error {
 public:
  remote_task_error(const std::string& message, std::string remote_type)
      : std::runtime_error(message), remote_type_(std::move(remote_type)) {}
  [[nodiscard]] const std::string& remote_type() const noexcept { return remote_type_; }

 private:
  std::string remote_type_;
};

// One worker per hardware thread, at least one (hardware_concurrency() may be 0).
[[nodiscard]] inline std::size_t default_workers() noexcept {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

}  // namespace poolbench
