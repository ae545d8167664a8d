#pragma once
// async_pool_executor: the article's AsyncPoolExecutor. N coroutine workers
// on one Asio executor drain one FIFO queue, so at most N tasks are in flight
// at once - a fixed number of requests for a rate-limited API, or a database
// with few connections - while no thread ever blocks.
//
//   boost::asio::awaitable<std::string> fetch(std::string name);
//   co_await poolbench::with_async_pool(ex, 4, [&](auto& pool) -> awaitable<void> {
//     auto f = pool.submit(fetch, "romeo");
//     std::string body = co_await f.async_get();
//   });  // shut down (drained, workers joined) on every exit path
//
// Tasks are callables returning boost::asio::awaitable<R>; arguments are
// decay-copied. The executor may be run by one thread or several: the queue
// is a concurrent_channel, and the pool's state is thread-safe, so tasks of
// one pool run in parallel on a multi-threaded io_context (each task itself
// is one coroutine, sequential as always).
//
// Lifetime: prefer with_async_pool(), or co_await async_shutdown() before
// the pool goes away. The destructor cannot wait (it is not a coroutine): it
// begins a draining shutdown and returns; the workers finish the queue as
// long as the executor keeps running. If the executor is destroyed first,
// queued tasks that never ran hold task_cancelled, and tasks it destroyed
// mid-run hold task_abandoned.

#include <poolbench/executor/async_future.hpp>
#include <poolbench/executor/errors.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolbench {

namespace detail {

template <class A>
struct awaitable_value {};
template <class T, class E>
struct awaitable_value<boost::asio::awaitable<T, E>> {
  using type = T;
};

// The result type R of a task f(a...) -> awaitable<R>.
template <class F, class... A>
using async_result_t =
    typename awaitable_value<std::invoke_result_t<std::decay_t<F>, std::decay_t<A>...>>::type;

// One queued task. Destroyed without having run (cancelled, or the executor
// went away), it leaves task_cancelled in its future; destroyed while it
// runs (its executor went away mid-task), task_abandoned.
class async_task {
 public:
  virtual ~async_task() = default;
  virtual boost::asio::awaitable<void> run() = 0;
  // For a run() that failed before the task's own code started.
  virtual void fail(std::exception_ptr error) noexcept = 0;
};

template <class R, class F, class... A>
class typed_async_task final : public async_task {
 public:
  typed_async_task(std::shared_ptr<async_state<R>> state, F fn, std::tuple<A...> args)
      : state_(std::move(state)), fn_(std::move(fn)), args_(std::move(args)) {}
  // A no-op when the task completed: the state keeps its first result. The
  // ready() check spares a completed task (every task, normally) building an
  // exception object nobody reads: an allocation and more per task.
  ~typed_async_task() override {
    if (state_->ready())
      return;
    if (started_) {
      state_->set_exception(std::make_exception_ptr(task_abandoned()));
    } else {
      state_->set_exception(std::make_exception_ptr(task_cancelled()));
    }
  }

  void fail(std::exception_ptr error) noexcept override { state_->set_exception(std::move(error)); }

  boost::asio::awaitable<void> run() override {
    started_ = true;
    try {
      if constexpr (std::is_void_v<R>) {
        co_await std::apply(std::move(fn_), std::move(args_));
        state_->set_value();
      } else {
        state_->set_value(co_await std::apply(std::move(fn_), std::move(args_)));
      }
    } catch (...) {
      state_->set_exception(std::current_exception());
    }
  }

 private:
  std::shared_ptr<async_state<R>> state_;
  F fn_;
  std::tuple<A...> args_;
  bool started_ = false;
};

}  // namespace detail

class async_pool_executor {
 public:
  // Starts `max_tasks` worker coroutines on `ex` (they run when `ex` runs).
  // Throws std::invalid_argument for 0.
  async_pool_executor(boost::asio::any_io_executor ex, std::size_t max_tasks);
  // Begins a draining shutdown without waiting (see the lifetime note above).
  ~async_pool_executor();
  async_pool_executor(const async_pool_executor&) = delete;
  async_pool_executor& operator=(const async_pool_executor&) = delete;

  // Queues f(a...), which must return boost::asio::awaitable<R>. Any thread
  // may call it. Throws executor_shutdown once shutdown began.
  template <class F, class... A>
  [[nodiscard]] auto submit(F&& f, A&&... a) -> async_future<detail::async_result_t<F, A...>> {
    using result_t = detail::async_result_t<F, A...>;
    auto state = std::make_shared<detail::async_state<result_t>>();
    async_future<result_t> future(state);
    enqueue(
        std::make_unique<detail::typed_async_task<result_t, std::decay_t<F>, std::decay_t<A>...>>(
            std::move(state), std::forward<F>(f),
            std::tuple<std::decay_t<A>...>(std::forward<A>(a)...)));
    return future;
  }

  // submit(f, item) for every item; futures in input order.
  template <class F, std::ranges::input_range R>
  [[nodiscard]] auto map(F&& f, R&& items)
      -> std::vector<async_future<detail::async_result_t<F, std::ranges::range_value_t<R>>>> {
    using item_t = std::ranges::range_value_t<R>;
    std::vector<async_future<detail::async_result_t<F, item_t>>> futures;
    if constexpr (std::ranges::sized_range<R>) {
      futures.reserve(std::ranges::size(items));
    }
    for (auto&& item : items) {
      futures.push_back(submit(f, item_t(std::forward<decltype(item)>(item))));
    }
    return futures;
  }

  // Stops accepting tasks; without `cancel_futures` the queue is drained,
  // with it every task not yet started holds task_cancelled at once (also
  // while every worker is busy). Completes when every worker has exited; a
  // task of this pool awaiting it (directly in the task's coroutine chain,
  // not from a coroutine it co_spawns) completes once the *other* workers
  // have exited, since its own worker cannot exit before it returns.
  // Idempotent; any number of coroutines may await it.
  [[nodiscard]] boost::asio::awaitable<void> async_shutdown(bool cancel_futures = false);

  // The non-waiting half of async_shutdown(), for code that is not a coroutine.
  void shutdown(bool cancel_futures = false);

  [[nodiscard]] std::size_t max_tasks() const noexcept { return max_tasks_; }
  [[nodiscard]] const boost::asio::any_io_executor& get_executor() const noexcept {
    return executor_;
  }

 private:
  friend struct async_pool_test_access;  // tests enqueue hand-made tasks
  struct shared;
  void enqueue(std::unique_ptr<detail::async_task> task);
  static boost::asio::awaitable<void> worker(std::shared_ptr<shared> s, std::size_t index);

  boost::asio::any_io_executor executor_;
  std::size_t max_tasks_;
  std::shared_ptr<shared> shared_;
};

// The article's `async with`: runs body(pool) on a fresh pool and shuts the
// pool down (draining the queue, joining the workers) on every exit path,
// exceptions included; returns what body returns or rethrows what it threw.
// (A coroutine frame destroyed without resuming cannot run async code: then
// the pool's destructor begins the shutdown instead.)
template <class F>
auto with_async_pool(boost::asio::any_io_executor ex, std::size_t max_tasks, F body)
    -> boost::asio::awaitable<
        typename detail::awaitable_value<std::invoke_result_t<F&, async_pool_executor&>>::type> {
  using result_t =
      typename detail::awaitable_value<std::invoke_result_t<F&, async_pool_executor&>>::type;
  async_pool_executor pool(std::move(ex), max_tasks);
  std::exception_ptr error;
  if constexpr (std::is_void_v<result_t>) {
    try {
      co_await body(pool);
    } catch (...) {
      error = std::current_exception();
    }
    co_await pool.async_shutdown(false);  // no co_await inside a catch block
    if (error) {
      std::rethrow_exception(error);
    }
  } else {
    std::optional<result_t> result;
    try {
      result.emplace(co_await body(pool));
    } catch (...) {
      error = std::current_exception();
    }
    co_await pool.async_shutdown(false);
    if (error) {
      std::rethrow_exception(error);
    }
    co_return std::move(*result);
  }
}

}  // namespace poolbench
