#include <poolbench/results/workload.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace poolbench::results {
namespace {

workload closed(strategy s, pool_mode m, std::size_t batch, std::size_t workers,
                std::uint64_t delay, connection c) {
  return {s, m, batch, workers, delay, c, std::nullopt};
}

workload open(strategy s, double rate, std::size_t workers, std::uint64_t delay, connection c,
              std::optional<arrivals> kind) {
  return {s, pool_mode::warm, 0, workers, delay, c, open_loop_load{rate, kind}};
}

// One of every kind: each strategy, both modes, both connections, the
// floor, and open loops with and without a known schedule.
std::vector<workload> every_kind() {
  std::vector<workload> all;
  for (auto s : {strategy::thread_pool, strategy::process_pool, strategy::async_pool}) {
    for (auto m : {pool_mode::warm, pool_mode::cold}) {
      for (auto c : {connection::fresh, connection::keep_alive})
        all.push_back(closed(s, m, 100, 16, 10, c));
    }
    all.push_back(open(s, 500, 16, 10, connection::keep_alive, arrivals::poisson));
    all.push_back(open(s, 12.5, 4, 0, connection::fresh, arrivals::uniform));
  }
  all.push_back(closed(strategy::serial, pool_mode::warm, 3, 1, 0, connection::fresh));
  all.push_back(closed(strategy::floor, pool_mode::warm, 3, 3, 0, connection::fresh));
  all.push_back(closed(strategy::floor, pool_mode::warm, 100, 100, 1, connection::keep_alive));
  return all;
}

TEST(workload, every_kind_round_trips_through_its_json_fields) {
  for (const auto& w : every_kind()) {
    const auto text = to_json(w).dump();
    EXPECT_EQ(workload_from_json(nlohmann::ordered_json::parse(text)), w) << text;
  }
}

TEST(workload, every_kind_round_trips_through_its_name_but_the_schedule) {
  for (auto w : every_kind()) {
    const auto name = case_name(w);
    const auto parsed = parse_case_name(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    if (w.open_loop)
      w.open_loop->arrivals.reset();  // not part of the name
    EXPECT_EQ(*parsed, w) << name;
  }
}

TEST(workload, names_follow_the_contract) {
  EXPECT_EQ(case_name(closed(strategy::thread_pool, pool_mode::cold, 3, 4, 10, connection::fresh)),
            "thread_pool/cold/batch:3/workers:4/delay_ms:10");
  EXPECT_EQ(case_name(closed(strategy::floor, pool_mode::warm, 3, 3, 0, connection::keep_alive)),
            "floor/batch:3/delay_ms:0/keepalive:1");
  EXPECT_EQ(case_name(open(strategy::async_pool, 800, 16, 10, connection::fresh, std::nullopt)),
            "async_pool/warm/open/rate:800/workers:16/delay_ms:10");
  EXPECT_EQ(case_name(open(strategy::async_pool, 12.5, 2, 0, connection::keep_alive, {})),
            "async_pool/warm/open/rate:12.5/workers:2/delay_ms:0/keepalive:1");
}

TEST(workload, an_absent_keepalive_part_means_a_fresh_connection) {
  const auto w = parse_case_name("serial/warm/batch:3/workers:1/delay_ms:0");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->connection, connection::fresh);
  EXPECT_EQ(parameters(*w).at("keepalive"), "0");
  EXPECT_EQ(parse_case_name("serial/warm/batch:3/workers:1/delay_ms:0/keepalive:0")->connection,
            connection::fresh);
}

TEST(workload, google_benchmark_suffixes_do_not_change_the_workload) {
  EXPECT_EQ(parse_case_name("serial/warm/batch:3/workers:1/delay_ms:0/iterations:40/repeats:9/"
                            "manual_time"),
            parse_case_name("serial/warm/batch:3/workers:1/delay_ms:0"));
}

TEST(workload, other_names_are_not_workloads) {
  for (const char* name :
       {"BM_x/8", "serial", "serial/hot/batch:3/workers:1/delay_ms:0",
        "serial/warm/batch:x/workers:1/delay_ms:0", "serial/warm/batch:3/workers:1",
        "serial/warm/batch:3/workers:1/delay_ms:0/keepalive:2",
        "serial/warm/batch:3/workers:1/delay_ms:0/extra:1",
        "async_pool/warm/open/rate:0/workers:1/delay_ms:0", "floor/workers:3/delay_ms:0", ""}) {
    EXPECT_FALSE(parse_case_name(name).has_value()) << name;
  }
}

TEST(workload, the_floor_has_no_mode_and_no_workers_in_its_parameters) {
  const auto p = parameters(*parse_case_name("floor/batch:100/delay_ms:1/keepalive:1"));
  EXPECT_EQ(p.count("mode"), 0u);
  EXPECT_EQ(p.count("workers"), 0u);
  EXPECT_EQ(p.at("batch"), "100");
  EXPECT_EQ(p.at("keepalive"), "1");
}

TEST(workload, a_bounded_floor_names_its_workers_and_the_whole_batch_keeps_its_old_name) {
  EXPECT_EQ(case_name(closed(strategy::floor, pool_mode::warm, 100, 8, 5, connection::fresh)),
            "floor/batch:100/workers:8/delay_ms:5");
  const auto bounded = parse_case_name("floor/batch:100/workers:8/delay_ms:5/keepalive:1");
  ASSERT_TRUE(bounded.has_value());
  EXPECT_EQ(bounded->workers, 8u);
  EXPECT_EQ(parameters(*bounded).at("workers"), "8");
  // A file written before floors were bounded: the whole batch was in flight.
  const auto old = parse_case_name("floor/batch:100/delay_ms:5");
  ASSERT_TRUE(old.has_value());
  EXPECT_EQ(old->workers, 100u);
  // The whole batch named explicitly is the same floor, printed the short way.
  EXPECT_EQ(case_name(*parse_case_name("floor/batch:3/workers:3/delay_ms:0")),
            "floor/batch:3/delay_ms:0");
  for (const char* bad :
       {"floor/batch:3/workers:4/delay_ms:0", "floor/batch:3/workers:0/delay_ms:0",
        "floor/batch:3/workers:x/delay_ms:0"})
    EXPECT_FALSE(parse_case_name(bad).has_value()) << bad;
}

TEST(workload, bad_fields_are_named) {
  auto j = to_json(closed(strategy::serial, pool_mode::warm, 3, 1, 0, connection::fresh));
  j.erase("batch");
  try {
    (void)workload_from_json(j);
    FAIL() << "a closed loop without a batch loaded";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "workload \"batch\" is missing");
  }
  j = to_json(closed(strategy::serial, pool_mode::warm, 3, 1, 0, connection::fresh));
  j["connection"] = "pipelined";
  EXPECT_THROW((void)workload_from_json(j), std::invalid_argument);
  j["connection"] = 1;
  EXPECT_THROW((void)workload_from_json(j), std::invalid_argument);
  EXPECT_THROW((void)workload_from_json(nlohmann::ordered_json::array()), std::invalid_argument);
}

TEST(workload, parse_rejects_unknown_values_naming_the_accepted_ones) {
  EXPECT_EQ(parse_strategy("async_pool"), strategy::async_pool);
  EXPECT_EQ(parse_pool_mode("cold"), pool_mode::cold);
  try {
    (void)parse_strategy("fibers");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "unknown strategy 'fibers' (expected serial, thread_pool, process_pool, "
                 "async_pool or floor)");
  }
  EXPECT_THROW((void)parse_pool_mode("hot"), std::invalid_argument);
  EXPECT_THROW((void)parse_arrivals("bursty"), std::invalid_argument);
}

}  // namespace
}  // namespace poolbench::results
