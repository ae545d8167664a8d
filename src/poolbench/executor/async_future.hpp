#pragma once
// async_future<T>: the result of a task of async_pool_executor. Like
// std::future it is move-only and its result is taken once, either
//   co_await f.async_get()   from a coroutine: suspends, blocks no thread;
//   f.get()                  from a thread that is NOT running the pool's
//                            executor (it blocks that thread; on the pool's
//                            only thread it would wait forever).
// A task's exception is rethrown by both; ready() polls.

#include <poolbench/executor/errors.hpp>

#include <boost/asio/any_completion_executor.hpp>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace poolbench {

namespace detail {

// A one-shot result slot that both threads and coroutines can wait on.
// Any number of waiters; completion wakes blocked threads and posts every
// waiting coroutine to its own executor.
template <class T>
class async_state {
 public:
  template <class... V>
  void set_value(V&&... v) {
    std::unique_lock lock(mutex_);
    if (ready_) {
      return;
    }
    if constexpr (!std::is_void_v<T>) {
      value_.emplace(std::forward<V>(v)...);
    }
    complete(lock);
  }

  void set_exception(std::exception_ptr error) noexcept {
    std::unique_lock lock(mutex_);
    if (ready_) {
      return;
    }
    error_ = std::move(error);
    complete(lock);
  }

  // Without the lock: asked once or twice per task (the future's await,
  // the task's destructor), and set only under the lock, after the result.
  [[nodiscard]] bool ready() const { return ready_.load(std::memory_order_acquire); }

  void wait() const {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return ready_.load(std::memory_order_relaxed); });
  }

  // Completes `token` (signature void()) once the state is ready.
  template <class Token>
  auto async_wait(Token&& token) {
    return boost::asio::async_initiate<Token, void()>(
        [this](auto handler) {
          std::unique_lock lock(mutex_);
          // Tracked work keeps the waiter's io_context running while it waits
          // for a task that may run elsewhere.
          waiter w{work_of(boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                               boost::asio::execution::outstanding_work.tracked)),
                   std::move(handler)};
          if (!ready_) {
            if (!first_waiter_) {
              first_waiter_.emplace(std::move(w));
            } else {
              more_waiters_.push_back(std::move(w));
            }
            return;
          }
          lock.unlock();
          resume(std::move(w));
        },
        token);
  }

  // After ready(): the value (moved out) or the stored exception.
  T take() {
    std::lock_guard lock(mutex_);
    if (error_) {
      std::rethrow_exception(error_);
    }
    if constexpr (!std::is_void_v<T>) {
      return std::move(*value_);
    }
  }

 private:
  // The waiter's executor, holding tracked work. An any_io_executor when the
  // executor converts to one (a coroutine's does): converting that to an
  // any_completion_executor allocated on every wait.
  using work_executor =
      std::variant<boost::asio::any_io_executor, boost::asio::any_completion_executor>;

  template <class Executor>
  static work_executor work_of(Executor ex) {
    if constexpr (std::is_convertible_v<Executor, boost::asio::any_io_executor>) {
      return work_executor(std::in_place_index<0>, std::move(ex));
    } else {
      return work_executor(std::in_place_index<1>, std::move(ex));
    }
  }

  struct waiter {
    work_executor work;
    boost::asio::any_completion_handler<void()> handler;
  };

  void complete(std::unique_lock<std::mutex>& lock) {
    ready_.store(true, std::memory_order_release);
    std::optional<waiter> first = std::move(first_waiter_);
    first_waiter_.reset();
    std::vector<waiter> more = std::move(more_waiters_);
    lock.unlock();
    done_.notify_all();
    if (first) {
      resume(std::move(*first));
    }
    for (auto& w : more) {
      resume(std::move(w));
    }
  }

  // Resumes a waiting coroutine through its own executor. An io_context's
  // executor runs it at once when called from a thread running that
  // io_context (the completing task's, after every lock here is released),
  // and queues it otherwise.
  static void resume(waiter w) {
    // That "at once" case done here: going through any_io_executor::execute
    // wrapped the handler in an allocated function object first, on every
    // task, only for the io_context to call it on the spot.
    if (const auto* ex = std::get_if<0>(&w.work)) {
      if (const auto* io = ex->template target<tracked_io_executor>();
          io != nullptr && io->running_in_this_thread() &&
          boost::asio::query(*io, boost::asio::execution::blocking) !=
              boost::asio::execution::blocking.never) {
        std::move(w.handler)();
        return;
      }
    }
    std::visit(
        [&](auto& ex) { ex.execute([h = std::move(w.handler)]() mutable { std::move(h)(); }); },
        w.work);
  }

  // What a coroutine on an io_context waits with: its executor, tracking work.
  using tracked_io_executor = std::decay_t<decltype(boost::asio::prefer(
      std::declval<boost::asio::io_context::executor_type>(),
      boost::asio::execution::outstanding_work.tracked))>;

  mutable std::mutex mutex_;
  mutable std::condition_variable done_;
  std::atomic<bool> ready_{false};  // written under mutex_, read with or without it
  std::conditional_t<std::is_void_v<T>, bool, std::optional<T>> value_{};
  std::exception_ptr error_;
  // The first waiter in place (there is usually one: the future's owner),
  // any further ones in the vector: a vector allocated for every wait.
  std::optional<waiter> first_waiter_;
  std::vector<waiter> more_waiters_;
};

}  // namespace detail

template <class T>
class async_future {
 public:
  async_future() noexcept = default;
  explicit async_future(std::shared_ptr<detail::async_state<T>> state) noexcept
      : state_(std::move(state)) {}

  [[nodiscard]] bool valid() const noexcept { return state_ != nullptr; }
  [[nodiscard]] bool ready() const { return checked().ready(); }

  // Waits without blocking a thread, then returns the value or rethrows.
  [[nodiscard]] boost::asio::awaitable<T> async_get() { return get_when_ready(release()); }

  // Blocks the calling thread (never the pool's only thread), then returns
  // the value or rethrows.
  T get() {
    std::shared_ptr<detail::async_state<T>> state = release();
    state->wait();
    return state->take();
  }

  void wait() const { checked().wait(); }

 private:
  detail::async_state<T>& checked() const {
    if (!state_) {
      throw std::future_error(std::future_errc::no_state);
    }
    return *state_;
  }
  // The coroutine owns the state, so the future may go away while it waits.
  static boost::asio::awaitable<T> get_when_ready(std::shared_ptr<detail::async_state<T>> state) {
    if (!state->ready()) {
      co_await state->async_wait(boost::asio::use_awaitable);
    }
    co_return state->take();
  }
  std::shared_ptr<detail::async_state<T>> release() {
    checked();
    return std::move(state_);
  }

  std::shared_ptr<detail::async_state<T>> state_;
};

}  // namespace poolbench
