#include <poolbench/runner/bench_case.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace poolbench::runner {
namespace {

TEST(bench_case, names_follow_the_contract) {
  bench_case c{strategy::thread_pool, pool_mode::cold, article_names(), 4, 10, connection::fresh};
  EXPECT_EQ(c.name(), "thread_pool/cold/batch:3/workers:4/delay_ms:10");
  c.connection = connection::keep_alive;
  EXPECT_EQ(c.name(), "thread_pool/cold/batch:3/workers:4/delay_ms:10/keepalive:1");
}

TEST(bench_case, parse_rejects_unknown_values) {
  EXPECT_EQ(results::parse_strategy("async_pool"), strategy::async_pool);
  EXPECT_EQ(results::parse_pool_mode("cold"), pool_mode::cold);
  EXPECT_THROW((void)results::parse_strategy("fibers"), std::invalid_argument);
  EXPECT_THROW((void)results::parse_pool_mode("hot"), std::invalid_argument);
}

TEST(bench_case, serial_appears_once_per_delay_and_keepalive) {
  grid g{article_names(),
         {1, 4},
         {0, 1},
         {connection::fresh, connection::keep_alive},
         {strategy::serial, strategy::async_pool},
         {pool_mode::warm, pool_mode::cold}};
  const auto cases = expand(g);
  std::size_t serial = 0;
  std::set<std::string> names;
  for (const auto& c : cases) {
    names.insert(c.name());
    if (c.strategy == strategy::serial) {
      ++serial;
      EXPECT_EQ(c.workers, 1u);
      EXPECT_EQ(c.mode, pool_mode::warm);
    }
  }
  EXPECT_EQ(serial, 4u);                  // 2 delays x 2 keep-alive
  EXPECT_EQ(cases.size(), 4u + 16u);      // async: 2 variants x 2 workers x 2 x 2
  EXPECT_EQ(names.size(), cases.size());  // no duplicates
}

TEST(bench_case, the_floor_has_one_case_per_workers_capped_at_the_batch) {
  grid g{generated_names(10), {1, 4, 16, 64},    {5},
         {connection::fresh}, {strategy::floor}, {pool_mode::warm, pool_mode::cold}};
  std::vector<std::string> names;
  for (const auto& c : expand(g)) {
    EXPECT_EQ(c.mode, pool_mode::warm);
    EXPECT_LE(c.workers, 10u);
    names.push_back(c.name());
  }
  // 16 and 64 are the whole batch in flight: one floor, its older name.
  EXPECT_EQ(names, (std::vector<std::string>{"floor/batch:10/workers:1/delay_ms:5",
                                             "floor/batch:10/workers:4/delay_ms:5",
                                             "floor/batch:10/delay_ms:5"}));
}

TEST(bench_case, unbounded_is_one_case_with_the_whole_batch_in_flight) {
  grid g{generated_names(10),
         {1, 4, 16},
         {5},
         {connection::fresh},
         {strategy::unbounded},
         {pool_mode::warm, pool_mode::cold}};
  const auto cases = expand(g);
  ASSERT_EQ(cases.size(), 1u);  // whatever --workers and --modes say
  EXPECT_EQ(cases[0].workers, 10u);
  EXPECT_EQ(cases[0].mode, pool_mode::warm);
  EXPECT_EQ(cases[0].name(), "unbounded/batch:10/delay_ms:5");
}

TEST(bench_case, default_experiment_has_the_article_part_and_the_sweep) {
  const std::vector<strategy> all{strategy::serial, strategy::thread_pool, strategy::process_pool,
                                  strategy::async_pool};
  const auto cases = default_experiment(false, all, {pool_mode::warm, pool_mode::cold});
  std::set<std::string> names;
  for (const auto& c : cases)
    names.insert(c.name());
  EXPECT_TRUE(names.count("serial/warm/batch:3/workers:1/delay_ms:0"));
  EXPECT_TRUE(names.count("async_pool/cold/batch:3/workers:3/delay_ms:0"));
  EXPECT_TRUE(names.count("process_pool/warm/batch:3/workers:3/delay_ms:0"));
  EXPECT_TRUE(names.count("thread_pool/warm/batch:100/workers:64/delay_ms:10/keepalive:1"));
  EXPECT_TRUE(names.count("serial/warm/batch:100/workers:1/delay_ms:1"));
  // Trimmed: one worker (and serial) at 10 ms only says batch x delay.
  EXPECT_FALSE(names.count("thread_pool/warm/batch:100/workers:1/delay_ms:10"));
  EXPECT_FALSE(names.count("serial/warm/batch:100/workers:1/delay_ms:10/keepalive:1"));
  // The many-in-flight sweep: batch 4 x workers, keep-alive, 10 ms, three
  // pools, process_pool up to 1024 workers (its 4096 forks cost minutes).
  for (const char* pool : {"thread_pool", "process_pool", "async_pool"}) {
    for (int w : {64, 256, 1024, 4096}) {
      const bool expected = std::string(pool) != "process_pool" || w <= 1024;
      EXPECT_EQ(names.count(std::string(pool) + "/warm/batch:" + std::to_string(4 * w) +
                            "/workers:" + std::to_string(w) + "/delay_ms:10/keepalive:1"),
                expected ? 1u : 0u)
          << pool << " " << w;
    }
  }
  EXPECT_FALSE(names.count("serial/warm/batch:4096/workers:1/delay_ms:10/keepalive:1"));
  // 7 article cases; sweep at 0 and 1 ms: 3 pools x 4 workers x 2 delays x 2
  // + serial 2 x 2; at 10 ms: 3 pools x 3 workers x 2; many in flight: 3 x 4
  // less process_pool at 4096.
  EXPECT_EQ(cases.size(), 7u + 48u + 4u + 18u + 11u);
  EXPECT_EQ(names.size(), cases.size());
}

// The article's workload asked for by flags, not by the default experiment.
std::vector<bench_case> article_as_custom_workload() {
  return expand(
      {article_names(), {3}, {0}, {connection::fresh}, {strategy::thread_pool}, {pool_mode::warm}});
}

// The article's rounds are the shortest and the noisiest per second of
// rounds: they, and only they, run longer repetitions.
TEST(bench_case, default_experiment_lengthens_only_the_article_cases) {
  const auto cases = default_experiment(false, {strategy::thread_pool, strategy::serial},
                                        {pool_mode::warm, pool_mode::cold});
  std::size_t article = 0;
  for (const auto& c : cases) {
    const bool is_article = c.names == article_names();
    article += is_article ? 1 : 0;
    EXPECT_EQ(c.min_time_scale, is_article ? article_min_time_scale : 1.0) << c.name();
  }
  EXPECT_EQ(article, 3u);  // serial, thread_pool warm and cold
  for (const auto& c : article_as_custom_workload())
    EXPECT_EQ(c.min_time_scale, 1.0) << "a custom workload keeps --min-time: " << c.name();
}

// The article's wake-up-bound rounds run first and alone; the sweep of 64 to
// 4096 workers, which disturbs the machine for seconds after it, runs last.
TEST(bench_case, default_experiment_runs_in_three_blocks_the_article_first) {
  const auto cases = default_experiment(false, {strategy::thread_pool, strategy::serial},
                                        {pool_mode::warm, pool_mode::cold});
  std::map<std::size_t, std::size_t> per_block;
  for (const auto& c : cases) {
    ++per_block[c.block];
    if (c.names == article_names())
      EXPECT_EQ(c.block, 0u) << c.name();
    else if (c.names.size() == 4 * c.workers && c.delay_ms == 10 && c.keep_alive())
      EXPECT_EQ(c.block, 2u) << c.name();
    else
      EXPECT_EQ(c.block, 1u) << c.name();
  }
  EXPECT_EQ(per_block.size(), 3u);
  for (const auto& c : article_as_custom_workload())
    EXPECT_EQ(c.block, 0u) << "a custom workload is one block: " << c.name();
}

TEST(bench_case, the_zoo_runs_the_article_block_first) {
  for (const auto& c : zoo_experiment(true, {strategy::thread_pool, strategy::async_pool}))
    EXPECT_EQ(c.block, c.names == article_names() ? 0u : 2u) << c.name();
}

TEST(bench_case, default_experiment_filters_every_part) {
  const auto cases = default_experiment(false, {strategy::async_pool}, {pool_mode::warm});
  for (const auto& c : cases)
    EXPECT_EQ(c.strategy, strategy::async_pool) << c.name();
  // article 1, 0/1 ms 4 x 2 x 2, 10 ms 3 x 2, many in flight 4
  EXPECT_EQ(cases.size(), 1u + 16u + 6u + 4u);
}

}  // namespace
}  // namespace poolbench::runner
