// The strategy seam: an executor of blocking callables and one of Asio
// awaitables, each adapted in a few lines and registered like the
// built-ins, answer real rounds against the real poolbench-server.

#include <poolbench/runner/awaitable_executor.hpp>
#include <poolbench/runner/blocking_executor.hpp>
#include <poolbench/runner/cost_counters.hpp>
#include <poolbench/runner/strategy_factory.hpp>
#include <poolbench/runner/strategy_registry.hpp>
#include "server_process.hpp"
#include "suite_with_server.hpp"

#include <poolbench/results/clock.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <gtest/gtest.h>

#include <deque>
#include <mutex>
#include <tuple>

namespace poolbench::runner {
namespace {

namespace asio = boost::asio;

// Blocking callables on boost::asio::thread_pool.
struct asio_pool final : blocking_executor {
  explicit asio_pool(std::size_t workers) : pool(workers) {}
  void submit(std::function<void()> job) override { asio::post(pool, std::move(job)); }
  ~asio_pool() override { pool.join(); }
  asio::thread_pool pool;
};

// Awaitables, at most `workers` at once, on the one event loop it is given:
// a runner coroutine per worker drains the queue, and ends when it is empty.
struct coroutine_pool final : awaitable_executor {
  coroutine_pool(asio::any_io_executor io, std::size_t workers)
      : io(std::move(io)), workers(workers) {}
  void submit(std::function<asio::awaitable<void>()> task) override {
    queue.push_back(std::move(task));
    if (active < workers) {
      ++active;
      asio::co_spawn(io, drain(), asio::detached);
    }
  }
  asio::awaitable<void> drain() {
    while (!queue.empty()) {
      auto task = std::move(queue.front());
      queue.pop_front();
      co_await task();
    }
    --active;
  }
  asio::any_io_executor io;
  std::size_t workers;
  std::size_t active = 0;
  std::deque<std::function<asio::awaitable<void>()>> queue;
};

const results::strategy blocking_name("test_blocking_pool");
const results::strategy awaitable_name("test_coroutine_pool");

// Once per process, however many tests run in it.
void register_test_strategies() {
  static std::once_flag once;
  std::call_once(once, [] {
    register_blocking_executor("test_blocking_pool", [](std::size_t workers) {
      return std::make_unique<asio_pool>(workers);
    });
    register_awaitable_executor("test_coroutine_pool",
                                [](asio::any_io_executor io, std::size_t workers) {
                                  return std::make_unique<coroutine_pool>(std::move(io), workers);
                                });
  });
}

using own_executor_params = std::tuple<bool, pool_mode, bool>;  // awaitable?, mode, keep-alive?

class own_executor_test : public testing::suite_with_server<own_executor_params> {};

TEST_P(own_executor_test, rounds_return_the_right_bodies_in_order_and_queue) {
  register_test_strategies();
  const auto [awaitable, m, keepalive] = GetParam();
  const std::vector<std::string> names{"romeo", "julliet", "mercucio", "a b/c", "Zoë", "6", "7"};
  const bench_case c{awaitable ? awaitable_name : blocking_name,
                     m,
                     names,
                     3,
                     2,
                     keepalive ? connection::keep_alive : connection::fresh};
  const auto server = http::url::parse(server_->url());
  auto runner = make_strategy(c, server, {});
  for (int round = 0; round < 3; ++round) {
    const auto result = runner->run_round(delays_of_round(c, {}));
    ASSERT_EQ(result.bodies.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      EXPECT_EQ(result.bodies[i], "Hello, " + names[i]) << c.name() << " round " << round;
    EXPECT_NO_THROW(verify_round(c, server, result));
    ASSERT_EQ(result.service.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      EXPECT_GE(result.service[i], 0.002) << c.name();  // the server waited 2 ms
    // 7 names on 3 workers: the last waited for two requests ahead of it.
    EXPECT_GE(result.queue.back(), 0.004) << c.name();
    EXPECT_EQ(result.attempts, names.size());
  }
}

INSTANTIATE_TEST_SUITE_P(both_shapes, own_executor_test,
                         ::testing::Combine(::testing::Bool(),
                                            ::testing::Values(pool_mode::warm, pool_mode::cold),
                                            ::testing::Bool()),
                         [](const ::testing::TestParamInfo<own_executor_params>& info) {
                           return std::string(std::get<0>(info.param) ? "awaitable" : "blocking") +
                                  "_" + std::string(to_string(std::get<1>(info.param))) +
                                  (std::get<2>(info.param) ? "_keepalive" : "_fresh");
                         });

TEST(own_executor, a_blocking_pool_runs_the_open_loop) {
  register_test_strategies();
  testing::server_process server_process(POOLBENCH_SERVER_PATH);
  const bench_case c{blocking_name,         pool_mode::warm, {"romeo", "julliet"}, 2, 1,
                     connection::keep_alive};
  auto runner = make_strategy(c, http::url::parse(server_process.url()), {});
  open_loop_plan plan;
  plan.drain_timeout = std::chrono::seconds(60);
  const auto start = results::steady_now_ns();
  for (int k = 0; k < 6; ++k)
    plan.intended_ns.push_back(start + 5'000'000LL * (k + 1));
  const auto outcomes = runner->run_open_loop(plan);
  ASSERT_EQ(outcomes.size(), 6u);
  for (std::size_t k = 0; k < outcomes.size(); ++k) {
    EXPECT_TRUE(outcomes[k].completed()) << outcomes[k].error;
    EXPECT_EQ(outcomes[k].body, k % 2 == 0 ? "Hello, romeo" : "Hello, julliet");
    EXPECT_GE(outcomes[k].start_ns, plan.intended_ns[k]);
  }
}

TEST(own_executor, its_traits_size_the_grid_and_the_cost_counters) {
  register_test_strategies();
  const bench_case c{blocking_name, pool_mode::warm, {"a", "b", "c"}, 8, 0, connection::fresh};
  EXPECT_EQ(client_threads(c), 8u);  // a thread per worker
  bench_case a = c;
  a.strategy = awaitable_name;
  EXPECT_EQ(client_threads(a), 1u);  // one event loop
  grid g{{"a", "b", "c"},
         {1, 4},
         {0},
         {connection::fresh},
         {blocking_name, awaitable_name},
         {pool_mode::warm, pool_mode::cold}};
  EXPECT_EQ(expand(g).size(), 8u);  // 2 strategies x 2 modes x 2 workers
  const auto all = default_strategies();
  EXPECT_NE(std::find(all.begin(), all.end(), blocking_name), all.end());
  const auto open = default_open_loop_strategies();
  EXPECT_NE(std::find(open.begin(), open.end(), blocking_name), open.end());
  EXPECT_EQ(std::find(open.begin(), open.end(), awaitable_name), open.end());
}

TEST(own_executor, registration_refuses_bad_and_taken_names) {
  register_test_strategies();
  const auto make = [](std::size_t workers) { return std::make_unique<asio_pool>(workers); };
  EXPECT_THROW(register_blocking_executor("Bad-Name", make), std::invalid_argument);
  EXPECT_THROW(register_blocking_executor("thread_pool", make), std::invalid_argument);
  EXPECT_THROW(register_blocking_executor("test_blocking_pool", make), std::invalid_argument);
  EXPECT_THROW(register_blocking_executor("no_factory", {}), std::invalid_argument);
  EXPECT_EQ(find_factory(results::strategy("no_factory")), nullptr);
}

}  // namespace
}  // namespace poolbench::runner
