#include <poolbench/executor/async_pool_executor.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/this_coro.hpp>

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
      : queue(ex, channel_capacity),
        identities(new asio::cancellation_signal[workers]),
        worker_slots(workers),
        live_workers(workers) {}

  // Queues in FIFO order: into the buffer when there is room, otherwise as a
  // waiting send (the channel keeps those in order behind the buffer).
  void push(task_ptr task) {
    if (!queue.try_send(boost::system::error_code{}, std::move(task))) {
      queue.async_send(boost::system::error_code{}, std::move(task), asio::detached);
    }
  }

  // Empties the queue without waiting; returns how many shutdown sentinels
  // it held (the caller puts them back).
  std::size_t take_all(std::vector<task_ptr>& tasks) {
    std::size_t sentinels = 0;
    while (queue.try_receive([&](boost::system::error_code, task_ptr task) {
      if (task) {
        tasks.push_back(std::move(task));
      } else {
        ++sentinels;
      }
    })) {
    }
    return sentinels;
  }

  // True when `slot` is the cancellation slot of one of our workers'
  // coroutine chains: the caller runs inside a task of this pool.
  bool is_worker(const asio::cancellation_slot& slot) {
    std::lock_guard lock(mutex);
    for (const auto& own : worker_slots) {
      if (own.is_connected() && own == slot) {
        return true;
      }
    }
    return false;
  }

  // Changes the worker counts, then completes the joins they allow. The
  // states are completed after unlocking: completion may resume a waiting
  // coroutine inline, and that one may call back into the pool.
  void count_workers(std::ptrdiff_t live_change, std::ptrdiff_t parked_change) {
    bool others_done = false;
    bool all_done = false;
    {
      std::lock_guard lock(mutex);
      live_workers += static_cast<std::size_t>(live_change);
      parked_workers += static_cast<std::size_t>(parked_change);
      others_done = live_workers == parked_workers;
      all_done = live_workers == 0;
    }
    if (others_done) {
      others_joined.set_value();
    }
    if (all_done) {
      joined.set_value();
    }
  }

  channel queue;
  // Each worker is spawned with its own cancellation slot, which every
  // coroutine it awaits (the task included) sees as its cancellation
  // state's slot: that identifies a task's call to async_shutdown(). Each
  // worker's completion handler shares them too: the coroutine machinery
  // keeps using a slot until the handler has run, after the worker's frame
  // (and perhaps this struct) is gone.
  std::shared_ptr<asio::cancellation_signal[]> identities;
  std::mutex mutex;       // orders submit() against the shutdown sentinels
  bool accepting = true;  // guarded by mutex
  std::atomic<bool> cancelling{false};
  std::vector<asio::cancellation_slot> worker_slots;  // guarded by mutex
  std::size_t live_workers;                           // guarded by mutex
  std::size_t parked_workers = 0;    // tasks awaiting their own pool's shutdown; guarded by mutex
  detail::async_state<void> joined;  // every worker exited
  detail::async_state<void> others_joined;  // every worker not parked exited
};

async_pool_executor::async_pool_executor(asio::any_io_executor ex, std::size_t max_tasks)
    : executor_(std::move(ex)), max_tasks_(max_tasks) {
  if (max_tasks == 0) {
    throw std::invalid_argument("async_pool_executor: max_tasks must be at least 1");
  }
  shared_ = std::make_shared<shared>(executor_, max_tasks);
  for (std::size_t i = 0; i < max_tasks; ++i) {
    asio::co_spawn(
        executor_, worker(shared_, i),
        asio::bind_cancellation_slot(shared_->identities[i].slot(),
                                     [keep = shared_->identities](std::exception_ptr) {}));
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
  std::vector<shared::task_ptr> cancelled;
  {
    std::lock_guard lock(shared_->mutex);
    std::size_t sentinels = 0;
    if (cancel_futures) {
      // A worker that already received a task but has not started it skips it.
      shared_->cancelling = true;
      sentinels = shared_->take_all(cancelled);
    }
    if (shared_->accepting) {
      shared_->accepting = false;
      sentinels = max_tasks_;
    }
    // One empty task per worker, behind everything queued: each worker exits
    // at the first one it receives.
    for (std::size_t i = 0; i < sentinels; ++i) {
      shared_->push(nullptr);
    }
  }
  cancelled.clear();  // outside the lock: each leaves task_cancelled in its future
}

asio::awaitable<void> async_pool_executor::async_shutdown(bool cancel_futures) {
  auto s = shared_;
  const bool from_own_task = s->is_worker((co_await asio::this_coro::cancellation_state).slot());
  shutdown(cancel_futures);
  if (!from_own_task) {
    co_await s->joined.async_wait(asio::use_awaitable);
    co_return;
  }
  s->count_workers(0, +1);
  co_await s->others_joined.async_wait(asio::use_awaitable);
  s->count_workers(0, -1);
}

asio::awaitable<void> async_pool_executor::worker(std::shared_ptr<shared> s, std::size_t index) {
  {
    const auto identity = (co_await asio::this_coro::cancellation_state).slot();
    std::lock_guard lock(s->mutex);
    s->worker_slots[index] = identity;
  }
  for (;;) {
    // An explicitly empty slot: the receive installs no cancellation
    // handler in the worker's identity slot (a cost on every task).
    auto [ec, task] = co_await s->queue.async_receive(asio::bind_cancellation_slot(
        asio::cancellation_slot(), asio::as_tuple(asio::use_awaitable)));
    if (ec || !task) {
      break;
    }
    if (s->cancelling.load(std::memory_order_relaxed)) {
      continue;  // `task` dies unrun here: its future holds task_cancelled
    }
    // run() may throw before the task's own code starts (allocating its
    // coroutine frame); the future gets that error and the worker goes on.
    std::exception_ptr failure;
    try {
      co_await task->run();
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      task->fail(failure);
    }
  }
  s->count_workers(-1, 0);
}

}  // namespace poolbench
