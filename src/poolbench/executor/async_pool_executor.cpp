#include <poolbench/executor/async_pool_executor.hpp>

namespace poolbench {

namespace asio = boost::asio;

namespace {
// Queue slots before submit() falls back to a waiting send (still no limit).
constexpr std::size_t channel_capacity = 4096;
}  // namespace

// Everything the workers need; they own it with the pool, so the pool object
// may go away while they drain.
struct async_pool_executor::shared {
  using task_ptr = std::unique_ptr<detail::async_task>;
  using channel = asio::experimental::concurrent_channel<void(boost::system::error_code, task_ptr)>;

  shared(const asio::any_io_executor& ex, std::size_t workers)
      : queue(ex, channel_capacity), live_workers(workers) {}

  // Queues in FIFO order: into the buffer when there is room, otherwise as a
  // waiting send (the channel keeps those in order behind the buffer).
  void push(task_ptr task) {
    if (!queue.try_send(boost::system::error_code{}, std::move(task))) {
      queue.async_send(boost::system::error_code{}, std::move(task), asio::detached);
    }
  }

  channel queue;
  std::mutex mutex;       // orders submit() against the shutdown sentinels
  bool accepting = true;  // guarded by mutex
  std::atomic<bool> cancelling{false};
  std::atomic<std::size_t> live_workers;
  detail::async_state<void> joined;
};

async_pool_executor::async_pool_executor(asio::any_io_executor ex, std::size_t max_tasks)
    : executor_(std::move(ex)), max_tasks_(max_tasks) {
  if (max_tasks == 0) {
    throw std::invalid_argument("async_pool_executor: max_tasks must be at least 1");
  }
  shared_ = std::make_shared<shared>(executor_, max_tasks);
  for (std::size_t i = 0; i < max_tasks; ++i) {
    asio::co_spawn(executor_, worker(shared_), asio::detached);
  }
}

async_pool_executor::~async_pool_executor() {
  shutdown(false);
}

void async_pool_executor::enqueue(std::unique_ptr<detail::async_task> task) {
  std::lock_guard lock(shared_->mutex);
  if (!shared_->accepting) {
    throw executor_shutdown();
  }
  shared_->push(std::move(task));
}

void async_pool_executor::shutdown(bool cancel_futures) {
  if (cancel_futures) {
    shared_->cancelling = true;  // before the sentinels: every queued task is skipped
  }
  std::lock_guard lock(shared_->mutex);
  if (!shared_->accepting) {
    return;
  }
  shared_->accepting = false;
  // One empty task per worker, behind everything queued: each worker exits
  // at the first one it receives.
  for (std::size_t i = 0; i < max_tasks_; ++i) {
    shared_->push(nullptr);
  }
}

asio::awaitable<void> async_pool_executor::async_shutdown(bool cancel_futures) {
  shutdown(cancel_futures);
  auto s = shared_;
  co_await s->joined.async_wait(asio::use_awaitable);
}

asio::awaitable<void> async_pool_executor::worker(std::shared_ptr<shared> s) {
  for (;;) {
    auto [ec, task] = co_await s->queue.async_receive(asio::as_tuple(asio::use_awaitable));
    if (ec || !task) {
      break;
    }
    if (s->cancelling.load(std::memory_order_relaxed)) {
      continue;  // `task` dies unrun here: its future holds task_cancelled
    }
    co_await task->run();
  }
  if (s->live_workers.fetch_sub(1) == 1) {
    s->joined.set_value();
  }
}

}  // namespace poolbench
