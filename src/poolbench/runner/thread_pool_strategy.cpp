// thread_pool: blocking clients on the threads of a thread_pool_executor.

#include <poolbench/runner/strategies.hpp>
#include <poolbench/runner/strategy_support.hpp>

#include <poolbench/runner/client_pool.hpp>

#include <poolbench/executor/thread_pool_executor.hpp>
#include <poolbench/http/sync_client.hpp>

#include <optional>
#include <stdexcept>

namespace poolbench::runner {
namespace {

using namespace detail;

struct thread_context {
  thread_context(const bench_case& c, const http::url& server, const http::client_options& options)
      : c(c), clients([server, options] {
          return std::make_unique<http::sync_client>(server, options);
        }) {}
  const bench_case& c;
  client_pool<http::sync_client> clients;
};

round_result thread_round(thread_pool_executor& pool, thread_context& ctx) {
  const auto submit = steady_now_ns();
  auto futures = pool.map(
      [&ctx](const std::string& name) -> fetched {
        const auto start = steady_now_ns();
        auto client = ctx.clients.borrow();
        auto body = client->get_hello(name, ctx.c.delay_ms);
        return {std::move(body), start, steady_now_ns(), client->last_attempts()};
      },
      ctx.c.names);
  return collect(futures, submit);
}

class thread_pool_strategy final : public client_strategy {
 public:
  thread_pool_strategy(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c), server_(server), options_(client_options_for(c, options)) {
    if (case_.mode == pool_mode::warm) {
      warm_context_.emplace(case_, server_, options_);
      warm_pool_.emplace(case_.workers);
    }
  }

  std::vector<request_outcome> run_open_loop(const open_loop_plan& plan) override {
    if (!warm_pool_)
      throw std::invalid_argument("open loop runs warm pools only");
    auto& ctx = *warm_context_;
    return dispatch_open_loop(
        plan, case_.names,
        [&](const std::string& name) {
          return warm_pool_->submit([&ctx, name]() -> fetched {
            const auto start = steady_now_ns();
            auto client = ctx.clients.borrow();
            auto body = client->get_hello(name, ctx.c.delay_ms);
            return {std::move(body), start, steady_now_ns(), client->last_attempts()};
          });
        },
        [&] { warm_pool_->shutdown(true, /*cancel_futures=*/true); });
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

}  // namespace

std::unique_ptr<client_strategy> make_thread_pool_strategy(const bench_case& c,
                                                           const http::url& server,
                                                           const http::client_options& options) {
  return std::make_unique<thread_pool_strategy>(c, server, options);
}

}  // namespace poolbench::runner
