#pragma once
// thread_pool_executor: Python's ThreadPoolExecutor in standard-library
// naming. A fixed set of threads drains one FIFO queue; submit() returns a
// std::future, map() returns futures in input order.
//
//   poolbench::thread_pool_executor pool(4);
//   std::future<int> f = pool.submit([](int x) { return x * 2; }, 21);
//   f.get();  // 42 (or rethrows what the task threw)
//
// Thread safety: every member may be called from any thread at once,
// including from inside a task (submit from a task; shutdown(false) from a
// task). shutdown(true) called from a task joins every other worker, or
// returns at once when another shutdown(true) is already joining (that one
// joins the task's thread too); it never waits for its own thread.

#include <poolbench/executor/detail/unique_task.hpp>
#include <poolbench/executor/errors.hpp>

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <ranges>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolbench {

namespace detail {

// The queued body of one task: the callable, its decay-copied arguments and
// the promise its future reads.
template <class R, class F, class... A>
struct thread_task {
  std::promise<R> promise;
  F fn;
  std::tuple<A...> args;

  void run() noexcept {
    try {
      if constexpr (std::is_void_v<R>) {
        std::apply(std::move(fn), std::move(args));
        promise.set_value();
      } else {
        promise.set_value(std::apply(std::move(fn), std::move(args)));
      }
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  }
  void cancel(std::exception_ptr error) noexcept { promise.set_exception(std::move(error)); }
};

// A growable ring buffer of tasks: FIFO without an allocation per element.
class task_ring {
 public:
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  void push(unique_task&& task);
  unique_task pop() noexcept;

 private:
  void grow();
  std::vector<unique_task> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace detail

class thread_pool_executor {
 public:
  // Starts `max_workers` threads at once. Throws std::invalid_argument for 0.
  explicit thread_pool_executor(std::size_t max_workers = default_workers());
  // shutdown(true): runs every queued task, then joins the threads.
  ~thread_pool_executor();
  thread_pool_executor(const thread_pool_executor&) = delete;
  thread_pool_executor& operator=(const thread_pool_executor&) = delete;

  // Queues f(a...) (arguments decay-copied, as std::async does). Throws
  // executor_shutdown once shutdown() began.
  template <class F, class... A>
  [[nodiscard]] auto submit(F&& f, A&&... a)
      -> std::future<std::invoke_result_t<std::decay_t<F>, std::decay_t<A>...>> {
    using result_t = std::invoke_result_t<std::decay_t<F>, std::decay_t<A>...>;
    detail::thread_task<result_t, std::decay_t<F>, std::decay_t<A>...> body{
        {}, std::forward<F>(f), {std::forward<A>(a)...}};
    auto future = body.promise.get_future();
    enqueue(detail::unique_task(std::move(body)));
    return future;
  }

  // Queues f(item) for every item, all under one lock; the futures are in
  // input order. Throws executor_shutdown (and queues nothing) after shutdown.
  template <class F, std::ranges::input_range R>
  [[nodiscard]] auto map(F&& f, R&& items) -> std::vector<
      std::future<std::invoke_result_t<std::decay_t<F>, std::ranges::range_value_t<R>>>> {
    using item_t = std::ranges::range_value_t<R>;
    using result_t = std::invoke_result_t<std::decay_t<F>, item_t>;
    std::vector<std::future<result_t>> futures;
    std::vector<detail::unique_task> tasks;
    if constexpr (std::ranges::sized_range<R>) {
      futures.reserve(std::ranges::size(items));
      tasks.reserve(std::ranges::size(items));
    }
    for (auto&& item : items) {
      detail::thread_task<result_t, std::decay_t<F>, item_t> body{
          {}, f, {item_t(std::forward<decltype(item)>(item))}};
      futures.push_back(body.promise.get_future());
      tasks.emplace_back(std::move(body));
    }
    enqueue_all(tasks);
    return futures;
  }

  // Python semantics. Stops accepting tasks; with `cancel_futures`, queued
  // tasks that have not started are dropped and their futures hold
  // task_cancelled; the others still run. With `wait`, returns once every
  // worker has exited. Idempotent; any thread may call it.
  void shutdown(bool wait = true, bool cancel_futures = false);

  [[nodiscard]] std::size_t max_workers() const noexcept { return workers_.size(); }

 private:
  void enqueue(detail::unique_task&& task);
  void enqueue_all(std::vector<detail::unique_task>& tasks);
  void worker_loop();
  void join_workers();

  std::mutex mutex_;
  std::condition_variable wake_;
  detail::task_ring queue_;  // guarded by mutex_
  std::size_t idle_ = 0;     // workers waiting on wake_; guarded by mutex_
  bool stopping_ = false;    // guarded by mutex_
  std::mutex join_mutex_;    // serialises concurrent shutdown(true) calls
  std::vector<std::thread> workers_;
};

}  // namespace poolbench
