// async_pool: coroutine clients drained by an async_pool_executor on one
// event loop, this thread.

#include <poolbench/runner/strategies.hpp>
#include <poolbench/runner/strategy_support.hpp>

#include <poolbench/runner/client_pool.hpp>

#include <poolbench/executor/async_pool_executor.hpp>
#include <poolbench/http/async_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <optional>
#include <stdexcept>

namespace poolbench::runner {
namespace {

using namespace detail;
namespace asio = boost::asio;

// Asio's "one thread does all I/O" hint: no lock around each socket's and
// timer's reactor state (one lock and unlock per read and per write), while
// the scheduler keeps its lock. Sound here because only the thread in
// run_on() ever runs these io_contexts, and the sockets and timers on them
// (the clients') are only used by coroutines running there. The pool's
// entry points that other threads may call (submit, a future's completion)
// touch its channel, which has its own lock, and post to the scheduler,
// which keeps its lock: that stays safe from any thread.
constexpr int one_thread_hint = BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO;

struct async_context {
  async_context(const bench_case& c, asio::io_context& ioc, const http::url& server,
                const http::client_options& options)
      : c(c), clients([ex = ioc.get_executor(), server, options] {
          return std::make_unique<http::async_client>(ex, server, options);
        }) {}
  const bench_case& c;
  client_pool<http::async_client> clients;
};

asio::awaitable<fetched> async_fetch(async_context* ctx, std::string name) {
  const auto start = steady_now_ns();
  auto client = ctx->clients.borrow();
  auto body = co_await client->get_hello(std::move(name), ctx->c.delay_ms);
  co_return fetched{std::move(body), start, steady_now_ns(), client->last_attempts()};
}

asio::awaitable<round_result> async_round(async_pool_executor& pool, async_context* ctx) {
  const auto submit = steady_now_ns();
  auto futures =
      pool.map([ctx](std::string name) { return async_fetch(ctx, std::move(name)); }, ctx->c.names);
  round_result result;
  result.reserve(futures.size());
  for (auto& f : futures)
    add(result, co_await f.async_get(), submit);
  co_return result;
}

// Cold, as the article timed it: the pool starts, serves the batch and shuts
// down inside the round (asyncio.run + `async with AsyncPoolExecutor()`).
asio::awaitable<round_result> cold_async_round(async_context* ctx) {
  async_pool_executor pool(co_await asio::this_coro::executor, ctx->c.workers);
  std::exception_ptr error;
  round_result result;
  try {
    result = co_await async_round(pool, ctx);
  } catch (...) {
    error = std::current_exception();
  }
  co_await pool.async_shutdown(/*cancel_futures=*/error != nullptr);
  if (error)
    std::rethrow_exception(error);
  co_return result;
}

// The open-loop dispatcher on the pool's own event loop: a timer wakes it at
// each intended time to submit; then it polls (every millisecond) until
// every answer is in or the drain deadline passes.
asio::awaitable<std::vector<request_outcome>> async_open_loop(async_pool_executor& pool,
                                                              async_context* ctx,
                                                              const open_loop_plan& plan) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto& names = ctx->c.names;
  std::vector<async_future<fetched>> futures;
  futures.reserve(plan.intended_ns.size());
  for (std::size_t k = 0; k < plan.intended_ns.size(); ++k) {
    timer.expires_at(steady_at(plan.intended_ns[k]));
    co_await timer.async_wait(asio::use_awaitable);
    futures.push_back(
        pool.submit([ctx](std::string name) { return async_fetch(ctx, std::move(name)); },
                    names[k % names.size()]));
  }
  const auto deadline =
      steady_at(plan.intended_ns.empty() ? steady_now_ns() : plan.intended_ns.back()) +
      plan.drain_timeout;
  std::vector<request_outcome> out(futures.size());
  bool incomplete = false;
  for (std::size_t k = 0; k < futures.size(); ++k) {
    while (!futures[k].ready() && std::chrono::steady_clock::now() < deadline) {
      timer.expires_after(std::chrono::milliseconds(1));
      co_await timer.async_wait(asio::use_awaitable);
    }
    if (!futures[k].ready()) {
      incomplete = true;
      continue;
    }
    try {
      const auto f = co_await futures[k].async_get();
      out[k].body = f.body;
      out[k].start_ns = f.start_ns;
      out[k].done_ns = f.done_ns;
      out[k].attempts = f.attempts;
    } catch (...) {
      out[k].error = describe(std::current_exception());
    }
  }
  if (incomplete)  // what is still queued is cancelled, not run after the measurement
    co_await pool.async_shutdown(/*cancel_futures=*/true);
  co_return out;
}

// Runs `work` on `ioc` from this thread until it finishes. A warm pool's idle
// workers keep the loop alive forever, so the completion stops the loop
// (stopping cancels nothing: the workers wait on, for the next round).
template <class T>
T run_on(asio::io_context& ioc, asio::awaitable<T> work) {
  std::optional<T> value;
  std::exception_ptr error;
  bool done = false;
  asio::co_spawn(ioc, std::move(work), [&](std::exception_ptr e, T v) {
    done = true;
    if (e) {
      error = e;
    } else {
      value.emplace(std::move(v));
    }
    ioc.stop();
  });
  ioc.restart();
  ioc.run();
  if (error)
    std::rethrow_exception(error);
  if (!done || !value)
    throw std::logic_error("async pool: event loop ran out of work mid-round");
  return std::move(*value);
}

class async_pool_strategy final : public client_strategy {
 public:
  async_pool_strategy(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c), server_(server), options_(client_options_for(c, options)) {
    if (case_.mode == pool_mode::warm) {
      warm_context_.emplace(case_, ioc_, server_, options_);
      warm_pool_.emplace(ioc_.get_executor(), case_.workers);
    }
  }

  ~async_pool_strategy() override {
    if (!warm_pool_)
      return;
    try {
      (void)run_on(ioc_, shutdown(*warm_pool_));
    } catch (...) {  // nothing useful to do in a destructor; the loop dies below
    }
    warm_pool_.reset();
    warm_context_.reset();
  }

  std::vector<request_outcome> run_open_loop(const open_loop_plan& plan) override {
    if (!warm_pool_)
      throw std::invalid_argument("open loop runs warm pools only");
    return run_on(ioc_, async_open_loop(*warm_pool_, &*warm_context_, plan));
  }

  round_result run_round() override {
    if (warm_pool_)
      return run_on(ioc_, async_round(*warm_pool_, &*warm_context_));
    asio::io_context ioc{one_thread_hint};  // a fresh event loop per round, like asyncio.run
    async_context ctx(case_, ioc, server_, options_);
    return run_on(ioc, cold_async_round(&ctx));
  }

 private:
  static asio::awaitable<bool> shutdown(async_pool_executor& pool) {
    co_await pool.async_shutdown();
    co_return true;
  }

  bench_case case_;
  http::url server_;
  http::client_options options_;
  // The warm pool's loop; declared first, destroyed last. One thread runs it
  // (run_on): the hint lets handlers posted from inside it skip the
  // scheduler's shared queue, and drops the per-socket reactor lock taken on
  // every read and write (see one_thread_hint).
  asio::io_context ioc_{one_thread_hint};
  std::optional<async_context> warm_context_;
  std::optional<async_pool_executor> warm_pool_;
};

}  // namespace

std::unique_ptr<client_strategy> make_async_pool_strategy(const bench_case& c,
                                                          const http::url& server,
                                                          const http::client_options& options) {
  return std::make_unique<async_pool_strategy>(c, server, options);
}

}  // namespace poolbench::runner
