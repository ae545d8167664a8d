// A strategy is any [a-z][a-z0-9_]* name: a file written by a program with
// strategies of its own loads here, and a registered strategy's traits say
// how its cases are named, as the built-ins' do.
#include <poolbench/results/strategy_traits.hpp>
#include <poolbench/results/workload.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace poolbench::results {
namespace {

TEST(strategy_name, only_lower_case_words_are_names) {
  for (const char* good : {"my_pool", "a", "tbb", "pool2", "x_1_y"})
    EXPECT_TRUE(valid_strategy_name(good)) << good;
  for (const char* bad : {"", "My_pool", "9pool", "_pool", "my-pool", "my pool", "pool/warm", "é"})
    EXPECT_FALSE(valid_strategy_name(bad)) << bad;
  EXPECT_THROW((void)strategy("My_pool"), std::invalid_argument);
  EXPECT_EQ(strategy("thread_pool"), strategy::thread_pool);
  EXPECT_EQ(to_string(strategy(std::string("my_") + "pool")), "my_pool");
}

TEST(strategy_name, a_name_from_another_program_loads_as_a_pool) {
  const auto w = parse_case_name("my_pool/warm/batch:3/workers:4/delay_ms:0/keepalive:1");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->strategy.name(), "my_pool");
  EXPECT_EQ(w->workers, 4u);
  EXPECT_TRUE(has_pool(w->strategy));
  EXPECT_FALSE(is_registered(w->strategy));
  EXPECT_EQ(case_name(*w), "my_pool/warm/batch:3/workers:4/delay_ms:0/keepalive:1");
  EXPECT_EQ(workload_from_json(to_json(*w)), *w);
  EXPECT_EQ(parameters(*w).at("mode"), "warm");
  // Still not a workload: a name that is no strategy name, or no mode.
  EXPECT_FALSE(parse_case_name("My_pool/warm/batch:3/workers:4/delay_ms:0").has_value());
  EXPECT_FALSE(parse_case_name("my_pool/batch:3/workers:4/delay_ms:0").has_value());
}

TEST(strategy_name, a_bad_name_in_a_file_is_named) {
  nlohmann::ordered_json j = to_json(*parse_case_name("my_pool/warm/batch:3/workers:4/delay_ms:0"));
  j["strategy"] = "My Pool";
  try {
    (void)workload_from_json(j);
    FAIL() << "a bad strategy name loaded";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "workload \"strategy\" is not a strategy name ([a-z][a-z0-9_]*)");
  }
}

// Registration changes this process's registry for good: each runs in a
// child process (a death test's), so the other tests see the built-ins only.
TEST(strategy_registry, a_registered_strategy_is_named_by_its_traits) {
  EXPECT_EXIT(
      {
        const strategy stick("my_stick");
        strategy_traits t;
        t.has_pool = false;
        t.in_flight = per_case::workers;  // like the floor
        register_strategy_traits(stick, t);
        register_strategy_traits(stick, t);  // the same again: nothing
        bool refused = false;
        try {
          t.in_flight = per_case::batch;
          register_strategy_traits(stick, t);
        } catch (const std::invalid_argument&) {
          refused = true;
        }
        const auto w = parse_case_name("my_stick/batch:8/workers:2/delay_ms:1");
        const bool ok = refused && w && w->workers == 2 && no_pool_to_size(stick) &&
                        case_name(*w) == "my_stick/batch:8/workers:2/delay_ms:1" &&
                        parse_strategy("my_stick") == stick &&
                        registered_strategies().back() == stick;
        std::exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(strategy_registry, the_accepted_names_are_the_registered_ones) {
  EXPECT_EXIT(
      {
        register_strategy_traits(strategy("my_pool"), {});
        try {
          (void)parse_strategy("fibers");
        } catch (const std::invalid_argument& e) {
          std::exit(std::string(e.what()) ==
                            "unknown strategy 'fibers' (expected serial, thread_pool, "
                            "process_pool, async_pool, floor, unbounded or my_pool)"
                        ? 0
                        : 1);
        }
        std::exit(2);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(strategy_registry, traits_round_trip_through_their_record) {
  strategy_traits t;
  t.has_pool = false;
  t.open_loop = true;
  t.in_flight = per_case::batch;
  t.client_threads = per_case::batch;
  t.in_default_run = false;
  const auto j = traits_to_json(t);
  EXPECT_EQ(j.dump(),
            R"({"has_pool":false,"open_loop":true,"in_flight":"batch","client_threads":"batch",)"
            R"("in_default_run":false})");
  EXPECT_EQ(traits_from_json(j), t);
  auto bad = j;
  bad["in_flight"] = "all";
  EXPECT_THROW((void)traits_from_json(bad), std::invalid_argument);
  bad = j;
  bad.erase("has_pool");
  EXPECT_THROW((void)traits_from_json(bad), std::invalid_argument);
}

// A file's record makes another program's strategy what it is (here not a
// pool, so no mode in its name); the program's own traits win over a record.
// Registers for good: run in a death test's child.
bool a_recorded_strategy_reads_as_recorded() {
  strategy_traits per_request;
  per_request.has_pool = false;
  per_request.in_flight = per_case::batch;
  const nlohmann::ordered_json record = {{"my_async", traits_to_json(per_request)},
                                         {"thread_pool", traits_to_json(per_request)}};
  const bool was_pool = has_pool(strategy("my_async"));
  const auto added = register_recorded_traits(record);
  const auto again = register_recorded_traits(record);
  const auto w = parse_case_name("my_async/batch:8/delay_ms:1");
  bool refused = false;
  try {
    (void)register_recorded_traits({{"Bad", traits_to_json(per_request)}});
  } catch (const std::invalid_argument&) {
    refused = true;
  }
  return was_pool && added == 1 && again == 0 && !has_pool(strategy("my_async")) && w &&
         w->workers == 8 && parameters(*w).count("mode") == 0 && has_pool(strategy::thread_pool) &&
         refused;
}

TEST(strategy_registry, a_recorded_strategy_is_read_as_recorded) {
  EXPECT_EXIT(std::exit(a_recorded_strategy_reads_as_recorded() ? 0 : 1),
              ::testing::ExitedWithCode(0), "");
}

TEST(strategy_registry, the_built_ins_come_first_in_their_order) {
  const auto all = registered_strategies();
  ASSERT_GE(all.size(), 6u);
  EXPECT_EQ(all[0], strategy::serial);
  EXPECT_EQ(all[5], strategy::unbounded);
  EXPECT_FALSE(traits_of(strategy::unbounded).in_default_run);
  EXPECT_TRUE(traits_of(strategy::async_pool).open_loop);
}

}  // namespace
}  // namespace poolbench::results
