// Each strategy, warm and cold, fresh and keep-alive, against the real
// poolbench-server: every round returns the right bodies in input order.

#include <poolbench/runner/strategy_factory.hpp>
#include "fake_server.hpp"
#include "server_process.hpp"
#include "suite_with_server.hpp"

#include <poolbench/http/request_error.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

namespace poolbench::runner {
namespace {

using params = std::tuple<strategy, pool_mode, bool>;

class strategy_test : public testing::suite_with_server<params> {};

TEST_P(strategy_test, rounds_return_the_right_bodies_in_order) {
  const auto [s, m, keepalive] = GetParam();
  // More names than workers, so requests queue; a delay so they overlap.
  const std::vector<std::string> names{"romeo", "julliet", "mercucio", "a b/c", "Zoë", "6", "7"};
  const bench_case c{s,     m,
                     names, s == strategy::serial ? 1u : 3u,
                     2,     keepalive ? connection::keep_alive : connection::fresh};
  const auto server = http::url::parse(server_->url());
  auto runner = make_strategy(c, server, {});
  for (int round = 0; round < 3; ++round) {
    const auto result = runner->run_round(delays_of_round(c, {}));
    ASSERT_EQ(result.bodies.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(result.bodies[i], std::string("Hello, ").append(names[i]))
          << c.name() << " round " << round;
    }
    EXPECT_NO_THROW(verify_round(c, server, result));
    // One latency definition for every strategy: service time covers the
    // request itself (the server waited 2 ms before each answer), queue time
    // the wait before a worker took it up.
    ASSERT_EQ(result.service.size(), names.size());
    ASSERT_EQ(result.queue.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      EXPECT_TRUE(std::isfinite(result.service[i]));
      EXPECT_GE(result.service[i], 0.002);
      EXPECT_TRUE(std::isfinite(result.queue[i]));
      EXPECT_GE(result.queue[i], 0.0);
    }
    // 7 names on at most 3 workers (the floor's 3 requests in flight): the
    // last request waited for at least two requests ahead of it, each of
    // which took 2 ms or more. unbounded has the whole batch in flight.
    if (s != results::strategy::unbounded) {
      EXPECT_GE(result.queue.back(), 0.004) << c.name();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    all, strategy_test,
    ::testing::Combine(::testing::Values(strategy::serial, strategy::thread_pool,
                                         strategy::process_pool, strategy::async_pool,
                                         strategy::floor, strategy::unbounded),
                       ::testing::Values(pool_mode::warm, pool_mode::cold), ::testing::Bool()),
    [](const ::testing::TestParamInfo<params>& info) {
      return std::string(to_string(std::get<0>(info.param))) + "_" +
             std::string(to_string(std::get<1>(info.param))) +
             (std::get<2>(info.param) ? "_keepalive" : "_fresh");
    });

TEST(verify_round, names_the_first_body_out_of_place) {
  const bench_case c{strategy::serial, pool_mode::warm, {"romeo", "julliet"}, 1, 0,
                     connection::fresh};
  const auto server = http::url::parse("http://127.0.0.1:8080");
  EXPECT_NO_THROW(verify_round(c, server, {{"Hello, romeo", "Hello, julliet"}, {}, {}}));
  try {
    verify_round(c, server, {{"Hello, julliet", "Hello, romeo"}, {}, {}});
    FAIL() << "accepted swapped bodies";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("GET http://127.0.0.1:8080/romeo: response 1 of the batch "
                                         "is 'Hello, julliet', expected 'Hello, romeo'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(verify_round(c, server, {{"Hello, romeo"}, {}, {}}), std::runtime_error);
}

// In-process strategies only: a process pool refuses to fork while the fake
// server's threads run (the program test covers it in a separate process).
TEST(strategy_errors, wrong_body_fails_the_round_naming_the_request) {
  testing::fake_server fake([](std::string_view) {
    return testing::fake_reply{testing::fake_reply::action::answer,
                               testing::raw_http_response(200, "Hello, tybalt")};
  });
  for (auto kind :
       {strategy::serial, strategy::thread_pool, strategy::async_pool, strategy::unbounded}) {
    const bench_case c{kind, pool_mode::warm, {"romeo"}, 2, 0, connection::fresh};
    auto runner = make_strategy(c, http::url::parse(fake.url()), {});
    try {
      (void)runner->run_round(delays_of_round(c, {}));
      ADD_FAILURE() << c.name() << " accepted a wrong body";
    } catch (const http::request_error& e) {
      EXPECT_EQ(std::string(e.what()), "GET " + fake.url() +
                                           "/romeo: expected 200 'Hello, romeo', got 200 "
                                           "'Hello, tybalt'");
    }
  }
}

TEST(strategy_errors, process_pool_refuses_to_fork_beside_threads) {
  testing::fake_server fake(testing::hello_reply);  // its threads are running now
  const bench_case c{strategy::process_pool, pool_mode::warm, {"romeo"}, 2, 0, connection::fresh};
  EXPECT_THROW((void)make_strategy(c, http::url::parse(fake.url()), {}), std::logic_error);
}

}  // namespace
}  // namespace poolbench::runner
