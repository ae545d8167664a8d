// process_pool: forked workers of a process_pool_executor, each with its own
// blocking client.

#include <poolbench/runner/strategies.hpp>
#include <poolbench/runner/strategy_support.hpp>

#include <poolbench/executor/process_pool_executor.hpp>
#include <poolbench/http/sync_client.hpp>

#include <optional>
#include <stdexcept>

namespace poolbench::runner {
namespace {

using namespace detail;

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
  const auto start = steady_now_ns();
  static std::unique_ptr<http::sync_client> client;
  if (!client) {
    client = std::make_unique<http::sync_client>(g_process_config.server, g_process_config.options);
  }
  auto body = client->get_hello(name, g_process_config.delay_ms);
  return {std::move(body), start, steady_now_ns(), client->last_attempts()};
}

round_result process_round(process_pool_executor& pool, const bench_case& c) {
  const auto submit = steady_now_ns();
  auto futures = pool.map(&process_fetch, c.names);
  return collect(futures, submit);
}

class process_pool_strategy final : public client_strategy {
 public:
  process_pool_strategy(const bench_case& c, const http::url& server, http::client_options options)
      : case_(c) {
    g_process_config = {server, client_options_for(c, options), c.delay_ms};
    // The pool refuses to fork while other threads run (fork safety): the
    // runner never leaves threads behind, and the embedded server is a process.
    if (case_.mode == pool_mode::warm)
      warm_pool_.emplace(case_.workers);
  }

  std::vector<request_outcome> run_open_loop(const open_loop_plan& plan) override {
    if (!warm_pool_)
      throw std::invalid_argument("open loop runs warm pools only");
    return dispatch_open_loop(
        plan, case_.names,
        [&](const std::string& name) { return warm_pool_->submit(&process_fetch, name); },
        [&] { warm_pool_->shutdown(true, /*cancel_futures=*/true); });
  }

  std::vector<pid_t> worker_pids() const override {
    return warm_pool_ ? warm_pool_->worker_pids() : std::vector<pid_t>{};
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

}  // namespace

std::unique_ptr<client_strategy> make_process_pool_strategy(const bench_case& c,
                                                            const http::url& server,
                                                            const http::client_options& options) {
  return std::make_unique<process_pool_strategy>(c, server, options);
}

}  // namespace poolbench::runner
