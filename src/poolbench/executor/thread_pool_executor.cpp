#include <poolbench/executor/thread_pool_executor.hpp>

namespace poolbench {

namespace {
// The pool whose worker_loop() runs on this thread, if any: lets shutdown()
// tell a task's call from its owner's.
thread_local const thread_pool_executor* current_pool = nullptr;
}  // namespace

namespace detail {

void task_ring::push(unique_task&& task) {
  if (size_ == slots_.size()) {
    grow();
  }
  slots_[(head_ + size_) & (slots_.size() - 1)] = std::move(task);
  ++size_;
}

unique_task task_ring::pop() noexcept {
  unique_task task = std::move(slots_[head_]);
  head_ = (head_ + 1) & (slots_.size() - 1);
  --size_;
  return task;
}

// Capacity stays a power of two so the index wraps with a mask.
void task_ring::grow() {
  std::vector<unique_task> bigger(slots_.empty() ? 64 : slots_.size() * 2);
  for (std::size_t i = 0; i < size_; ++i) {
    bigger[i] = std::move(slots_[(head_ + i) & (slots_.size() - 1)]);
  }
  slots_ = std::move(bigger);
  head_ = 0;
}

}  // namespace detail

thread_pool_executor::thread_pool_executor(std::size_t max_workers) {
  if (max_workers == 0) {
    throw std::invalid_argument("thread_pool_executor: max_workers must be at least 1");
  }
  workers_.reserve(max_workers);
  try {
    for (std::size_t i = 0; i < max_workers; ++i) {
      workers_.emplace_back([this] { worker_loop(); });
    }
  } catch (...) {
    shutdown(true);
    throw;
  }
}

thread_pool_executor::~thread_pool_executor() {
  shutdown(true);
}

void thread_pool_executor::enqueue(detail::unique_task&& task) {
  bool wake_one = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      throw executor_shutdown();
    }
    queue_.push(std::move(task));
    // A busy worker finds the task when it comes back for the next one, so
    // a notify (a futex syscall) is only worth it when someone sleeps.
    wake_one = idle_ > 0;
  }
  if (wake_one) {
    wake_.notify_one();
  }
}

void thread_pool_executor::enqueue_all(std::vector<detail::unique_task>& tasks) {
  std::size_t sleepers = 0;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      throw executor_shutdown();
    }
    for (auto& task : tasks) {
      queue_.push(std::move(task));
    }
    sleepers = idle_;
  }
  if (sleepers == 0) {
    return;
  }
  if (tasks.size() >= sleepers) {
    wake_.notify_all();
  } else {
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      wake_.notify_one();
    }
  }
}

void thread_pool_executor::worker_loop() {
  current_pool = this;
  std::unique_lock lock(mutex_);
  for (;;) {
    while (queue_.empty() && !stopping_) {
      ++idle_;
      wake_.wait(lock);
      --idle_;
    }
    if (queue_.empty()) {
      return;  // stopping_ and drained
    }
    detail::unique_task task = queue_.pop();
    lock.unlock();
    task.run();
    task.reset();  // destroy captures outside the lock
    lock.lock();
  }
}

void thread_pool_executor::shutdown(bool wait, bool cancel_futures) {
  std::vector<detail::unique_task> cancelled;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (cancel_futures) {
      cancelled.reserve(queue_.size());
      while (!queue_.empty()) {
        cancelled.push_back(queue_.pop());
      }
    }
  }
  wake_.notify_all();
  for (auto& task : cancelled) {
    task.cancel(std::make_exception_ptr(task_cancelled()));
  }
  cancelled.clear();
  if (wait) {
    join_workers();
  }
}

void thread_pool_executor::join_workers() {
  std::unique_lock lock(join_mutex_, std::defer_lock);
  if (current_pool == this) {
    // A task of this pool. If another shutdown(true) already joins, that
    // caller is (or will be) joining this very thread: waiting for it here
    // would deadlock, so return and let this worker finish.
    if (!lock.try_lock()) {
      return;
    }
  } else {
    lock.lock();
  }
  for (auto& worker : workers_) {
    // A task may call shutdown(true) on its own pool: join everyone else.
    if (worker.joinable() && worker.get_id() != std::this_thread::get_id()) {
      worker.join();
    }
  }
}

}  // namespace poolbench
