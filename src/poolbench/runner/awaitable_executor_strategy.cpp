// A registered awaitable_executor as a client strategy: each request is a
// task that borrows an async client (one per worker at most), fetches and
// checks its answer; the round runs the event loop on this thread until
// every task has finished.

#include <poolbench/runner/awaitable_executor.hpp>

#include <poolbench/runner/client_pool.hpp>
#include <poolbench/runner/strategy_registry.hpp>
#include <poolbench/runner/strategy_support.hpp>

#include <poolbench/http/async_client.hpp>

#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <stdexcept>

namespace poolbench::runner {
namespace {

using namespace detail;
namespace asio = boost::asio;

struct awaitable_context {
  awaitable_context(const bench_case& c, asio::io_context& ioc, const http::url& server,
                    const http::client_options& options)
      : c(c), ioc(ioc), clients([ex = ioc.get_executor(), server, options] {
          return std::make_unique<http::async_client>(ex, server, options);
        }) {}
  const bench_case& c;
  asio::io_context& ioc;
  client_pool<http::async_client> clients;
};

// One round's answers, by position, filled in by the tasks.
struct awaitable_round_state {
  awaitable_context* ctx = nullptr;
  round_delays delays;
  std::vector<std::optional<fetched>> answers;
  std::vector<std::exception_ptr> errors;
  std::size_t remaining = 0;
};

// Request i of the round: a coroutine of its own (not a capturing lambda,
// whose captures would die with the std::function before the task ends).
asio::awaitable<void> awaitable_fetch(std::shared_ptr<awaitable_round_state> state, std::size_t i) {
  try {
    const auto start = steady_now_ns();
    auto client = state->ctx->clients.borrow();
    auto body = co_await client->get_hello(state->ctx->c.names[i], state->delays[i]);
    state->answers[i] = fetched{std::move(body), start, steady_now_ns(), client->last_attempts()};
  } catch (...) {
    state->errors[i] = std::current_exception();
  }
  if (--state->remaining == 0)
    state->ctx->ioc.stop();  // the executor's idle workers would keep the loop running
}

round_result awaitable_round(awaitable_executor& ex, awaitable_context& ctx,
                             const round_delays& delays) {
  auto state = std::make_shared<awaitable_round_state>();
  const auto n = ctx.c.names.size();
  state->ctx = &ctx;
  state->delays = delays;
  state->answers.resize(n);
  state->errors.resize(n);
  state->remaining = n;
  const auto submit = steady_now_ns();
  for (std::size_t i = 0; i < n; ++i)
    ex.submit([state, i] { return awaitable_fetch(state, i); });
  ctx.ioc.restart();
  ctx.ioc.run();
  if (state->remaining > 0)
    throw std::runtime_error(std::string(ctx.c.strategy.name()) +
                             ": the event loop ran out of work with " +
                             std::to_string(state->remaining) + " request(s) not finished");
  round_result result;
  result.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (state->errors[i])
      std::rethrow_exception(state->errors[i]);
    add(result, std::move(*state->answers[i]), submit);
  }
  return result;
}

class awaitable_executor_strategy final : public client_strategy {
 public:
  awaitable_executor_strategy(const bench_case& c, const http::url& server,
                              const http::client_options& options, awaitable_executor_factory make)
      : case_(c),
        server_(server),
        options_(client_options_for(c, options)),
        make_(std::move(make)) {
    if (case_.mode == pool_mode::warm) {
      warm_context_.emplace(case_, ioc_, server_, options_);
      warm_executor_ = built(ioc_);
    }
  }

  ~awaitable_executor_strategy() override {
    warm_executor_.reset();
    // What the executor left (its stopped workers' last steps) runs now,
    // while the clients it may still name exist.
    ioc_.restart();
    ioc_.poll();
  }

  round_result run_round(const round_delays& delays) override {
    if (warm_executor_)
      return awaitable_round(*warm_executor_, *warm_context_, delays);
    // Cold: a fresh event loop, executor and clients for this round only.
    asio::io_context ioc{1};
    awaitable_context ctx(case_, ioc, server_, options_);
    auto ex = built(ioc);
    auto result = awaitable_round(*ex, ctx, delays);
    ex.reset();
    ioc.restart();
    ioc.poll();
    return result;
  }

 private:
  std::unique_ptr<awaitable_executor> built(asio::io_context& ioc) const {
    auto ex = make_(ioc.get_executor(), case_.workers);
    if (!ex)
      throw std::runtime_error(std::string(case_.strategy.name()) +
                               ": its factory made no executor");
    return ex;
  }

  bench_case case_;
  http::url server_;
  http::client_options options_;
  awaitable_executor_factory make_;
  asio::io_context ioc_{1};  // one thread runs it: the caller's, in each round
  std::optional<awaitable_context> warm_context_;
  std::unique_ptr<awaitable_executor> warm_executor_;
};

}  // namespace
}  // namespace poolbench::runner

namespace poolbench {

using runner::bench_case;

results::strategy_traits awaitable_executor_traits() {
  results::strategy_traits t;
  t.has_pool = true;
  t.open_loop = false;
  t.in_flight = results::per_case::workers;
  t.client_threads = results::per_case::one;
  t.in_default_run = true;
  return t;
}

void register_awaitable_executor(const std::string& name, awaitable_executor_factory make,
                                 results::strategy_traits traits) {
  if (!make)
    throw std::invalid_argument("strategy '" + name + "' has no executor factory");
  if (traits.open_loop)
    throw std::invalid_argument("strategy '" + name +
                                "': an awaitable executor does not run the open loop");
  runner::register_strategy(
      {name, traits,
       [make](const bench_case& c, const http::url& server, const http::client_options& options) {
         return std::make_unique<runner::awaitable_executor_strategy>(c, server, options, make);
       }});
}

}  // namespace poolbench
