#include "strategy_runner.hpp"

#include "client_pool.hpp"
#include "floor_strategy.hpp"

#include <poolbench/executor/async_pool_executor.hpp>
#include <poolbench/executor/process_pool_executor.hpp>
#include <poolbench/executor/thread_pool_executor.hpp>
#include <poolbench/http/async_client.hpp>
#include <poolbench/http/response_check.hpp>
#include <poolbench/http/sync_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

namespace poolbench::runner {
namespace {

namespace asio = boost::asio;

// A checked response body, when its worker started the request and when the
// checked body was in hand. Steady time is CLOCK_MONOTONIC, shared by all
// processes, so process workers can report it too.
struct fetched {
  std::string body;
  std::int64_t start_ns = 0;
  std::int64_t done_ns = 0;
};
// Process workers send it back through the pool's wire codec (as CBOR).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(fetched, body, start_ns, done_ns)

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

http::client_options client_options_for(const bench_case& c, http::client_options options) {
  options.mode = c.keepalive ? http::connection::keep_alive : http::connection::fresh;
  return options;
}

double seconds_between(std::int64_t from_ns, std::int64_t to_ns) {
  return static_cast<double>(to_ns - from_ns) * 1e-9;
}

// Service time (worker start -> checked response) and queue time (batch
// submit -> worker start) of one request: one definition for every strategy.
void add(round_result& result, fetched f, std::int64_t submit_ns) {
  result.bodies.push_back(std::move(f.body));
  result.service.push_back(seconds_between(f.start_ns, f.done_ns));
  result.queue.push_back(seconds_between(submit_ns, f.start_ns));
}

// Collects futures in submission order.
template <class Futures>
round_result collect(Futures& futures, std::int64_t submit_ns) {
  round_result result;
  result.reserve(futures.size());
  for (auto& f : futures)
    add(result, f.get(), submit_ns);
  return result;
}

// --- serial: one request after another, no pool -------------------------

class serial_runner final : public strategy_runner {
 public:
  serial_runner(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c), client_(server, client_options_for(c, options)) {}

  round_result run_round() override {
    round_result result;
    result.reserve(case_.names.size());
    const auto submit = now_ns();
    for (const auto& name : case_.names) {
      // The batch waits behind the requests before it: that is its queue time.
      const auto start = now_ns();
      auto body = client_.get_hello(name, case_.delay_ms);
      add(result, {std::move(body), start, now_ns()}, submit);
    }
    return result;
  }

 private:
  bench_case case_;
  http::sync_client client_;
};

// --- thread_pool: blocking clients on pool threads ------------------------

struct thread_context {
  thread_context(const bench_case& c, const http::url& server, const http::client_options& options)
      : c(c), clients([server, options] {
          return std::make_unique<http::sync_client>(server, options);
        }) {}
  const bench_case& c;
  client_pool<http::sync_client> clients;
};

round_result thread_round(thread_pool_executor& pool, thread_context& ctx) {
  const auto submit = now_ns();
  auto futures = pool.map(
      [&ctx](const std::string& name) -> fetched {
        const auto start = now_ns();
        auto client = ctx.clients.borrow();
        auto body = client->get_hello(name, ctx.c.delay_ms);
        return {std::move(body), start, now_ns()};
      },
      ctx.c.names);
  return collect(futures, submit);
}

class thread_pool_runner final : public strategy_runner {
 public:
  thread_pool_runner(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c), server_(server), options_(client_options_for(c, options)) {
    if (case_.mode == mode::warm) {
      warm_context_.emplace(case_, server_, options_);
      warm_pool_.emplace(case_.workers);
    }
  }

  round_result run_round() override {
    if (warm_pool_)
      return thread_round(*warm_pool_, *warm_context_);
    // Cold: the pool (and its workers' connections) live for this round only.
    thread_context ctx(case_, server_, options_);
    thread_pool_executor pool(case_.workers);
    auto result = thread_round(pool, ctx);
    pool.shutdown(true);
    return result;
  }

 private:
  bench_case case_;
  http::url server_;
  http::client_options options_;
  std::optional<thread_context> warm_context_;     // declared before the pool:
  std::optional<thread_pool_executor> warm_pool_;  // the pool stops first
};

// --- process_pool: forked workers, each with its own blocking client -------

// What a worker needs to know. Written by the parent before it forks the
// pool, so every child starts with a copy; only children read it.
struct process_worker_config {
  http::url server;
  http::client_options options;
  std::uint64_t delay_ms = 0;
};
process_worker_config g_process_config;

// Runs in a worker process. The client is process-local: one per worker, so
// with keep-alive one connection per worker. The parent never calls this, so
// a child never inherits an open connection.
fetched process_fetch(std::string name) {
  const auto start = now_ns();
  static std::unique_ptr<http::sync_client> client;
  if (!client) {
    client = std::make_unique<http::sync_client>(g_process_config.server, g_process_config.options);
  }
  auto body = client->get_hello(name, g_process_config.delay_ms);
  return {std::move(body), start, now_ns()};
}

round_result process_round(process_pool_executor& pool, const bench_case& c) {
  const auto submit = now_ns();
  auto futures = pool.map(&process_fetch, c.names);
  return collect(futures, submit);
}

class process_pool_runner final : public strategy_runner {
 public:
  process_pool_runner(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c) {
    g_process_config = {server, client_options_for(c, options), c.delay_ms};
    // The pool refuses to fork while other threads run (fork safety): the
    // runner never leaves threads behind, and the embedded server is a process.
    if (case_.mode == mode::warm)
      warm_pool_.emplace(case_.workers);
  }

  round_result run_round() override {
    if (warm_pool_)
      return process_round(*warm_pool_, case_);
    process_pool_executor pool(case_.workers);
    auto result = process_round(pool, case_);
    pool.shutdown(true);
    return result;
  }

 private:
  bench_case case_;
  std::optional<process_pool_executor> warm_pool_;
};

// --- async_pool: coroutine clients on one event loop, this thread ---------

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
  const auto start = now_ns();
  auto client = ctx->clients.borrow();
  auto body = co_await client->get_hello(std::move(name), ctx->c.delay_ms);
  co_return fetched{std::move(body), start, now_ns()};
}

asio::awaitable<round_result> async_round(async_pool_executor& pool, async_context* ctx) {
  const auto submit = now_ns();
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

class async_pool_runner final : public strategy_runner {
 public:
  async_pool_runner(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c), server_(server), options_(client_options_for(c, options)) {
    if (case_.mode == mode::warm) {
      warm_context_.emplace(case_, ioc_, server_, options_);
      warm_pool_.emplace(ioc_.get_executor(), case_.workers);
    }
  }

  ~async_pool_runner() override {
    if (!warm_pool_)
      return;
    try {
      (void)run_on(ioc_, shutdown(*warm_pool_));
    } catch (...) {  // nothing useful to do in a destructor; the loop dies below
    }
    warm_pool_.reset();
    warm_context_.reset();
  }

  round_result run_round() override {
    if (warm_pool_)
      return run_on(ioc_, async_round(*warm_pool_, &*warm_context_));
    asio::io_context ioc;  // a fresh event loop per round, like asyncio.run
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
  asio::io_context ioc_;  // the warm pool's loop; declared first, destroyed last
  std::optional<async_context> warm_context_;
  std::optional<async_pool_executor> warm_pool_;
};

}  // namespace

std::unique_ptr<strategy_runner> make_strategy_runner(const bench_case& c, const http::url& server,
                                                      http::client_options options) {
  if (c.names.empty())
    throw std::invalid_argument("a batch needs at least one name");
  if (c.workers == 0)
    throw std::invalid_argument("workers must be at least 1");
  switch (c.strategy) {
    case strategy::serial:
      return std::make_unique<serial_runner>(c, server, options);
    case strategy::thread_pool:
      return std::make_unique<thread_pool_runner>(c, server, options);
    case strategy::process_pool:
      return std::make_unique<process_pool_runner>(c, server, options);
    case strategy::async_pool:
      return std::make_unique<async_pool_runner>(c, server, options);
    case strategy::floor:
      return make_floor_runner(c, server, options);
  }
  throw std::logic_error("unknown strategy");
}

void verify_round(const bench_case& c, const http::url& server, const round_result& result) {
  if (result.bodies.size() != c.names.size()) {
    throw std::runtime_error("expected " + std::to_string(c.names.size()) + " responses, got " +
                             std::to_string(result.bodies.size()));
  }
  for (std::size_t i = 0; i < c.names.size(); ++i) {
    const auto expected = http::expected_body(c.names[i]);
    if (result.bodies[i] != expected) {
      throw std::runtime_error("GET http://" + server.authority() +
                               server.hello_target(c.names[i], c.delay_ms) + ": response " +
                               std::to_string(i + 1) + " of the batch is '" +
                               http::printable_excerpt(result.bodies[i]) + "', expected '" +
                               expected + "' (out of order?)");
    }
  }
}

}  // namespace poolbench::runner
