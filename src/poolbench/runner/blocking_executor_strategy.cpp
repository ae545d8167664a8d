// A registered blocking_executor as a client strategy: each request is a
// job that borrows a blocking client (one per worker at most), fetches and
// checks its answer; the round collects the jobs' futures in order.

#include <poolbench/runner/blocking_executor.hpp>

#include <poolbench/runner/client_pool.hpp>
#include <poolbench/runner/strategy_registry.hpp>
#include <poolbench/runner/strategy_support.hpp>

#include <poolbench/executor/errors.hpp>
#include <poolbench/http/sync_client.hpp>

#include <atomic>
#include <future>
#include <optional>
#include <stdexcept>

namespace poolbench::runner {
namespace {

using namespace detail;

struct blocking_context {
  blocking_context(const bench_case& c, const http::url& server,
                   const http::client_options& options)
      : c(c), clients([server, options] {
          return std::make_unique<http::sync_client>(server, options);
        }) {}
  const bench_case& c;
  client_pool<http::sync_client> clients;
  // This round's delays: kept here, since after a failed round the pool may
  // still run jobs that read them (the context outlives the executor).
  round_delays delays;
  // Set when an open loop gives up: jobs not yet started end cancelled.
  std::atomic<bool> cancelled{false};
};

fetched blocking_fetch(blocking_context& ctx, const std::string& name,
                       std::chrono::microseconds delay) {
  if (ctx.cancelled.load())
    throw task_cancelled();
  const auto start = steady_now_ns();
  auto client = ctx.clients.borrow();
  auto body = client->get_hello(name, delay);
  return {std::move(body), start, steady_now_ns(), client->last_attempts()};
}

// Submits blocking_fetch(name, delay) as a job; its future holds the answer or what
// the request threw (or broken_promise, should the executor drop the job).
std::future<fetched> submit_fetch(blocking_executor& ex, blocking_context& ctx,
                                  const std::string& name, std::chrono::microseconds delay) {
  auto task = std::make_shared<std::packaged_task<fetched()>>(
      [&ctx, &name, delay] { return blocking_fetch(ctx, name, delay); });
  auto future = task->get_future();
  ex.submit([task] { (*task)(); });
  return future;
}

round_result blocking_round(blocking_executor& ex, blocking_context& ctx,
                            const round_delays& delays) {
  ctx.delays = delays;
  std::vector<std::future<fetched>> futures;
  futures.reserve(ctx.c.names.size());
  const auto submit = steady_now_ns();
  for (std::size_t i = 0; i < ctx.c.names.size(); ++i)
    futures.push_back(submit_fetch(ex, ctx, ctx.c.names[i], ctx.delays[i]));
  return collect(futures, submit);
}

class blocking_executor_strategy final : public client_strategy {
 public:
  blocking_executor_strategy(const bench_case& c, const http::url& server,
                             const http::client_options& options, blocking_executor_factory make)
      : case_(c),
        server_(server),
        options_(client_options_for(c, options)),
        make_(std::move(make)) {
    if (case_.mode == pool_mode::warm) {
      warm_context_.emplace(case_, server_, options_);
      warm_executor_ = built(case_.workers);
    }
  }

  round_result run_round(const round_delays& delays) override {
    if (warm_executor_)
      return blocking_round(*warm_executor_, *warm_context_, delays);
    // Cold: the executor and its clients live for this round only.
    blocking_context ctx(case_, server_, options_);
    auto ex = built(case_.workers);
    auto result = blocking_round(*ex, ctx, delays);
    ex.reset();
    return result;
  }

  std::vector<request_outcome> run_open_loop(const open_loop_plan& plan) override {
    if (!warm_executor_)
      throw std::invalid_argument("open loop runs warm pools only");
    auto& ctx = *warm_context_;
    ctx.cancelled = false;
    const std::chrono::microseconds delay = std::chrono::milliseconds(case_.delay_ms);
    return dispatch_open_loop(
        plan, case_.names,
        [&](const std::string& name) { return submit_fetch(*warm_executor_, ctx, name, delay); },
        [&] { ctx.cancelled = true; });
  }

 private:
  std::unique_ptr<blocking_executor> built(std::size_t workers) const {
    auto ex = make_(workers);
    if (!ex)
      throw std::runtime_error(std::string(case_.strategy.name()) +
                               ": its factory made no executor");
    return ex;
  }

  bench_case case_;
  http::url server_;
  http::client_options options_;
  blocking_executor_factory make_;
  std::optional<blocking_context> warm_context_;      // declared before the executor:
  std::unique_ptr<blocking_executor> warm_executor_;  // the executor stops first
};

}  // namespace
}  // namespace poolbench::runner

namespace poolbench {

using runner::bench_case;

results::strategy_traits blocking_executor_traits() {
  results::strategy_traits t;
  t.has_pool = true;
  t.open_loop = true;
  t.in_flight = results::per_case::workers;
  t.client_threads = results::per_case::workers;
  t.in_default_run = true;
  return t;
}

void register_blocking_executor(const std::string& name, blocking_executor_factory make,
                                results::strategy_traits traits) {
  if (!make)
    throw std::invalid_argument("strategy '" + name + "' has no executor factory");
  runner::register_strategy(
      {name, traits,
       [make](const bench_case& c, const http::url& server, const http::client_options& options) {
         return std::make_unique<runner::blocking_executor_strategy>(c, server, options, make);
       }});
}

}  // namespace poolbench
