#pragma once
// process_pool_executor: Python's ProcessPoolExecutor (fork start method) in
// standard-library naming. Workers are fork()ed at construction and serve
// tasks over one socket each, so a task costs a message round trip, not a fork.
//
//   int square(int x) { return x * x; }   // a plain function: valid in the child
//   poolbench::process_pool_executor pool(4);
//   std::future<int> f = pool.submit(&square, 7);
//   f.get();  // 49, computed in a worker process
//
// Tasks are function pointers plus arguments; arguments and results cross
// the socket through the wire codec (wire_codec.hpp), so lambdas with state
// cannot be sent (Python pickles only module-level functions, too).
//
// Create the pool while the process has a single thread: fork() copies only
// the calling thread, so the constructor throws std::logic_error when other
// threads run, unless process_pool_options::allow_threads accepts the risk.
// Keep the constructing thread alive as long as the pool: workers die with
// it (PR_SET_PDEATHSIG). A worker that dies breaks the pool: pending futures
// and every later submit() get broken_pool. Design: docs/executors.md.

#include <poolbench/executor/errors.hpp>
#include <poolbench/executor/wire_codec.hpp>

#include <sys/types.h>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <ranges>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolbench {

struct process_pool_options {
  // Replace a worker by a fresh fork after it completed this many tasks
  // (a new pid); 0 keeps workers for the pool's lifetime.
  std::size_t max_tasks_per_child = 0;
  // Runs once in every worker (including recycled ones), after fork and
  // before its first task. If it throws, the worker exits and the pool breaks.
  std::function<void()> initializer = {};
  // Jobs sent to a busy worker ahead of time, so it starts the next one
  // without waiting for a round trip through the parent (Python's pool
  // queues one extra call the same way). They are no longer cancellable by
  // shutdown(cancel_futures=true). 0 = strictly one job per worker at a time.
  std::size_t tasks_ahead = 1;
  // Workers inherit the parent's other open descriptors (sockets, pipes,
  // files), as with Python's fork start method. Set this to close every
  // descriptor above stderr in each worker except its own socket, before the
  // initializer runs - e.g. so a pipe to another child still sees EOF when
  // the parent closes it.
  bool close_inherited_fds = false;
  // Skip the single-thread check of the fork-safety rule (see above).
  bool allow_threads = false;
};

namespace detail {

// The parent's half of one task: decodes the worker's reply into a promise.
class process_call {
 public:
  virtual ~process_call() = default;
  virtual void set_result(std::string_view payload) noexcept = 0;
  virtual void set_error(std::exception_ptr error) noexcept = 0;
};

template <class R>
class typed_process_call final : public process_call {
 public:
  std::future<R> get_future() { return promise_.get_future(); }
  void set_result(std::string_view payload) noexcept override {
    try {
      if constexpr (std::is_void_v<R>) {
        if (!payload.empty()) {
          throw wire::decode_error("wire: unexpected result for a void task");
        }
        promise_.set_value();
      } else {
        promise_.set_value(wire::decode<R>(payload));
      }
    } catch (...) {
      promise_.set_exception(std::current_exception());
    }
  }
  void set_error(std::exception_ptr error) noexcept override {
    promise_.set_exception(std::move(error));
  }

 private:
  std::promise<R> promise_;
};

// The worker's half: one instantiation per function type, called in the
// child with the function's address, the encoded arguments and the buffer
// the encoded result is appended to.
using process_thunk = void (*)(std::uint64_t fn, wire::reader& args, std::string& result);

template <class R, class... P>
void invoke_in_worker(std::uint64_t fn_bits, wire::reader& args, std::string& result) {
  const auto fn = reinterpret_cast<R (*)(P...)>(static_cast<std::uintptr_t>(fn_bits));
  // Braced initialisation decodes the arguments left to right.
  std::tuple<std::decay_t<P>...> values{wire::decode<std::decay_t<P>>(args)...};
  if (!args.empty()) {
    throw wire::decode_error("wire: trailing bytes after the arguments");
  }
  auto call = [fn](auto&... v) -> R { return fn(static_cast<P&&>(v)...); };
  if constexpr (std::is_void_v<R>) {
    std::apply(call, values);
  } else {
    wire::encode(result, std::apply(call, values));
  }
}

// A request is [u32 length][u64 thunk][u64 fn][arguments...]; the pool
// fills in the length.
template <class R, class... P>
std::string begin_request(R (*fn)(P...)) {
  std::string request(sizeof(std::uint32_t), '\0');
  const process_thunk thunk = &invoke_in_worker<R, P...>;
  wire::encode(request, static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(thunk)));
  wire::encode(request, static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(fn)));
  return request;
}

template <class R>
concept process_result = std::is_void_v<R> ||(!std::is_reference_v<R> && wire::encodable<R>);

template <class P>
concept process_parameter = wire::encodable<std::decay_t<P>>;

struct process_job {
  std::string request;
  std::unique_ptr<process_call> call;
};

}  // namespace detail

class process_pool_executor {
 public:
  // Forks `max_workers` workers now. Throws std::invalid_argument for 0,
  // std::logic_error when the fork-safety rule is broken (see above),
  // std::system_error when a socket or fork fails.
  explicit process_pool_executor(std::size_t max_workers = default_workers(),
                                 process_pool_options options = {});
  // shutdown(true): runs every queued task, then every worker exits and is reaped.
  ~process_pool_executor();
  process_pool_executor(const process_pool_executor&) = delete;
  process_pool_executor& operator=(const process_pool_executor&) = delete;

  // Runs fn(args...) in a worker. Arguments are converted to fn's parameter
  // types and encoded here. A task exception arrives as remote_task_error
  // with the original what(). Throws executor_shutdown after shutdown(),
  // broken_pool once a worker died.
  template <class R, class... P, class... A>
  requires(sizeof...(P) == sizeof...(A) && detail::process_result<R> &&
           (detail::process_parameter<P> && ...) &&
           (std::constructible_from<std::decay_t<P>, A&&> && ...))
      [[nodiscard]] std::future<R> submit(R (*fn)(P...), A&&... args) {
    detail::process_job job{detail::begin_request(fn),
                            std::make_unique<detail::typed_process_call<R>>()};
    (wire::encode(job.request, std::decay_t<P>(std::forward<A>(args))), ...);
    auto future = static_cast<detail::typed_process_call<R>&>(*job.call).get_future();
    enqueue(std::move(job));
    return future;
  }

  // fn(item) for every item, queued under one lock; futures in input order.
  template <class R, class P, std::ranges::input_range In>
  requires(detail::process_result<R>&& detail::process_parameter<P>&&
               std::constructible_from<std::decay_t<P>, std::ranges::range_reference_t<In>>)
      [[nodiscard]] std::vector<std::future<R>> map(R (*fn)(P), In&& items) {
    std::vector<std::future<R>> futures;
    std::vector<detail::process_job> jobs;
    const std::string head = detail::begin_request(fn);
    for (auto&& item : items) {
      detail::process_job job{head, std::make_unique<detail::typed_process_call<R>>()};
      wire::encode(job.request, std::decay_t<P>(std::forward<decltype(item)>(item)));
      futures.push_back(static_cast<detail::typed_process_call<R>&>(*job.call).get_future());
      jobs.push_back(std::move(job));
    }
    enqueue_all(jobs);
    return futures;
  }

  // Python semantics: stop accepting tasks; with `cancel_futures` the queued
  // tasks that no worker took yet hold task_cancelled; with `wait`, return
  // once every worker has exited and been reaped. Idempotent.
  void shutdown(bool wait = true, bool cancel_futures = false);

  [[nodiscard]] std::size_t max_workers() const noexcept;
  // The live workers' pids (diagnostics and tests; changes with recycling).
  [[nodiscard]] std::vector<pid_t> worker_pids() const;
  // True once a worker died unexpectedly.
  [[nodiscard]] bool broken() const;

 private:
  class impl;
  void enqueue(detail::process_job job);
  void enqueue_all(std::vector<detail::process_job>& jobs);

  std::unique_ptr<impl> impl_;
};

}  // namespace poolbench
