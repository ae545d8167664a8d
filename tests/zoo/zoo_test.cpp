// Each zoo adapter, registered by its own file when the program starts,
// answers real rounds against the real poolbench-server: the right body for
// every name, in order, warm and cold, fresh and keep-alive; and its cost
// counters come from the same meters as the built-ins'.

#include <poolbench/runner/cost_counters.hpp>
#include <poolbench/runner/strategy_factory.hpp>
#include <poolbench/runner/strategy_registry.hpp>
#include "server_process.hpp"
#include "suite_with_server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace poolbench::runner {
namespace {

// The zoo's strategies registered in this program (tbb only where oneTBB was found).
std::vector<std::string> zoo_strategies() {
  std::vector<std::string> out;
  for (const char* name : {"asio_thread_pool", "std_async", "tbb"}) {
    if (find_factory(results::strategy(name)) != nullptr)
      out.emplace_back(name);
  }
  return out;
}

TEST(zoo, its_strategies_are_registered) {
  const auto all = zoo_strategies();
  EXPECT_NE(std::find(all.begin(), all.end(), "asio_thread_pool"), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), "std_async"), all.end());
#ifdef POOLBENCH_ZOO_HAS_TBB
  EXPECT_NE(std::find(all.begin(), all.end(), "tbb"), all.end());
#endif
}

using params = std::tuple<std::string, pool_mode, bool>;

class zoo_test : public testing::suite_with_server<params> {};

TEST_P(zoo_test, rounds_return_the_right_bodies_in_order) {
  const auto& [name, m, keepalive] = GetParam();
  const results::strategy s(name);
  if (find_factory(s) == nullptr)
    GTEST_SKIP() << name << " is not built here";
  // More names than workers, so requests queue; a delay so they overlap.
  const std::vector<std::string> names{"romeo", "julliet", "mercucio", "a b/c", "Zoë", "6", "7"};
  bench_case c{s, m, names, 3, 2, keepalive ? connection::keep_alive : connection::fresh};
  c.workers = expand({names, {3}, {2}, {c.connection}, {s}, {m}}).front().workers;
  const auto server = http::url::parse(server_->url());
  auto runner = make_strategy(c, server, {});
  for (int round = 0; round < 3; ++round) {
    const auto result = runner->run_round(delays_of_round(c, {}));
    ASSERT_EQ(result.bodies.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      EXPECT_EQ(result.bodies[i], "Hello, " + names[i]) << c.name() << " round " << round;
    EXPECT_NO_THROW(verify_round(c, server, result));
    for (double service : result.service)
      EXPECT_GE(service, 0.002) << c.name();  // the server waited 2 ms
  }
}

// The threads of this process now.
std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/task"))
    ++n;
  return n;
}

// Like the built-in pools, an adapter leaves no thread behind when its pool
// ends: a later case (process_pool forks) must not inherit them.
TEST_P(zoo_test, leaves_no_thread_behind) {
  const auto& [name, m, keepalive] = GetParam();
  const results::strategy s(name);
  if (find_factory(s) == nullptr)
    GTEST_SKIP() << name << " is not built here";
  const std::vector<std::string> names(16, "x");
  bench_case c{s, m, names, 8, 0, keepalive ? connection::keep_alive : connection::fresh};
  c.workers = expand({names, {8}, {0}, {c.connection}, {s}, {m}}).front().workers;
  const auto before = thread_count();
  {
    auto runner = make_strategy(c, http::url::parse(server_->url()), {});
    EXPECT_EQ(runner->run_round(delays_of_round(c, {})).bodies.size(), names.size());
  }
  EXPECT_EQ(thread_count(), before) << c.name();
}

INSTANTIATE_TEST_SUITE_P(
    every_adapter, zoo_test,
    ::testing::Combine(::testing::Values("asio_thread_pool", "std_async", "tbb"),
                       ::testing::Values(pool_mode::warm, pool_mode::cold), ::testing::Bool()),
    [](const ::testing::TestParamInfo<params>& info) {
      return std::get<0>(info.param) + "_" + std::string(to_string(std::get<1>(info.param))) +
             (std::get<2>(info.param) ? "_keepalive" : "_fresh");
    });

TEST(zoo, std_async_has_a_thread_per_request_the_others_one_per_worker) {
  const std::vector<std::string> names(10, "x");
  bench_case c{results::strategy("std_async"), pool_mode::warm, names, 4, 0, connection::fresh};
  // No pool to keep warm or build cold: one case, named without warm|cold.
  EXPECT_FALSE(results::traits_of(c.strategy).has_pool);
  const auto cases = expand(
      {names, {4}, {0}, {connection::fresh}, {c.strategy}, {pool_mode::warm, pool_mode::cold}});
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_EQ(cases.front().name(), "std_async/batch:10/delay_ms:0");
  EXPECT_EQ(cases.front().workers, 10u);  // the whole batch
  EXPECT_EQ(client_threads(cases.front()), 10u);
  c.strategy = results::strategy("asio_thread_pool");
  EXPECT_EQ(client_threads(c), 4u);
}

// --zoo: every strategy of the program on the article's workload, and all
// but serial on the keep-alive sweep to 1024 workers, warm only.
TEST(zoo, the_zoo_experiment_runs_every_strategy_on_the_article_and_the_sweep) {
  const auto strategies = runnable_strategies();
  const auto cases = zoo_experiment(false, strategies);
  auto has = [&](const std::string& name) {
    return std::any_of(cases.begin(), cases.end(),
                       [&](const bench_case& c) { return c.name() == name; });
  };
  for (const auto& c : cases)
    EXPECT_EQ(c.workload().mode, pool_mode::warm) << c.name();
  for (auto s : strategies) {
    EXPECT_TRUE(std::any_of(cases.begin(), cases.end(), [s](const bench_case& c) {
      return c.strategy == s && c.names == article_names() && c.delay_ms == 0;
    })) << s.name();
  }
  for (std::size_t w : {16, 64, 256, 1024}) {
    const auto b = std::to_string(4 * w), n = std::to_string(w);
    EXPECT_TRUE(has("thread_pool/warm/batch:" + b + "/workers:" + n + "/delay_ms:10/keepalive:1"));
    EXPECT_TRUE(
        has("asio_thread_pool/warm/batch:" + b + "/workers:" + n + "/delay_ms:10/keepalive:1"));
    EXPECT_TRUE(has("std_async/batch:" + b + "/delay_ms:10/keepalive:1"));
    EXPECT_TRUE(has("floor/batch:" + b + "/workers:" + n + "/delay_ms:10/keepalive:1"));
  }
  EXPECT_FALSE(std::any_of(cases.begin(), cases.end(), [](const bench_case& c) {
    return c.strategy == results::strategy::serial && c.delay_ms > 0;
  }));
  const auto quick = zoo_experiment(true, strategies);
  const auto largest =
      std::max_element(quick.begin(), quick.end(),
                       [](const auto& a, const auto& b) { return a.workers < b.workers; });
  EXPECT_EQ(largest->workers, 4u * 64u);  // std_async or unbounded: the whole batch of 64 x 4
}

}  // namespace
}  // namespace poolbench::runner
