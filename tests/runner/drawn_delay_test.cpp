// Drawn delays in the runner: the same key gives every strategy the same
// delays, each request asks the server for the delay at its position, the
// ideal round is the exact one for the drawn delays; and the unbounded
// strategy has the whole batch in flight at once.

#include <poolbench/runner/round_delays.hpp>
#include <poolbench/runner/strategy_factory.hpp>
#include "fake_server.hpp"

#include <poolbench/http/request_error.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;
using std::chrono::microseconds;

bench_case drawn_case(strategy s, std::size_t workers, const std::string& spec,
                      std::vector<std::string> names) {
  bench_case c{s, pool_mode::warm, std::move(names), workers, 0, connection::fresh};
  c.delay = delay::delay_distribution::parse(spec);
  return c;
}

TEST(round_delays, a_constant_delay_is_asked_for_everywhere) {
  const bench_case c{strategy::thread_pool, pool_mode::warm, generated_names(5), 2, 7,
                     connection::fresh};
  EXPECT_EQ(delays_of_round(c, {3, 4, 5}), round_delays(5, 7ms));
}

TEST(round_delays, every_strategy_meets_the_same_delays_at_the_same_key) {
  const auto names = generated_names(100);
  const auto a = drawn_case(strategy::thread_pool, 4, "lognormal:median=5ms,p99=100ms", names);
  auto b = drawn_case(strategy::unbounded, 100, "lognormal:median=5ms,p99=100ms", names);
  b.connection = connection::keep_alive;
  const round_key key{42, 3, 7};
  EXPECT_EQ(delays_of_round(a, key), delays_of_round(b, key));
  // Another round, repetition or seed is another draw.
  EXPECT_NE(delays_of_round(a, key), delays_of_round(a, {42, 3, 8}));
  EXPECT_NE(delays_of_round(a, key), delays_of_round(a, {42, 4, 7}));
  EXPECT_NE(delays_of_round(a, key), delays_of_round(a, {43, 3, 7}));
  // A shorter batch meets the first positions' delays.
  const auto c =
      drawn_case(strategy::async_pool, 4, "lognormal:median=5ms,p99=100ms", generated_names(10));
  const auto long_round = delays_of_round(a, key);
  EXPECT_EQ(delays_of_round(c, key), round_delays(long_round.begin(), long_round.begin() + 10));
}

TEST(round_delays, the_ideal_is_exact_for_the_drawn_delays) {
  const round_delays d{5ms, 1ms, 1ms, 1ms};
  const auto names = generated_names(4);
  // 2 workers: one takes the 5, the other the three 1s.
  auto two = describe_drawn_round(drawn_case(strategy::thread_pool, 2, "exp:1ms", names), d);
  EXPECT_NEAR(two.ideal_s, 0.005, 1e-12);
  EXPECT_NEAR(two.delay_sum_s, 0.008, 1e-12);
  // Serial is one worker: the sum; the floor and unbounded have the batch
  // in flight: the longest; a pool wider than the batch likewise.
  EXPECT_NEAR(describe_drawn_round(drawn_case(strategy::serial, 1, "exp:1ms", names), d).ideal_s,
              0.008, 1e-12);
  EXPECT_NEAR(describe_drawn_round(drawn_case(strategy::floor, 4, "exp:1ms", names), d).ideal_s,
              0.005, 1e-12);
  EXPECT_NEAR(describe_drawn_round(drawn_case(strategy::unbounded, 4, "exp:1ms", names), d).ideal_s,
              0.005, 1e-12);
  EXPECT_NEAR(
      describe_drawn_round(drawn_case(strategy::async_pool, 64, "exp:1ms", names), d).ideal_s,
      0.005, 1e-12);
  // {3,3,3} on 2 workers: the third waits for a free one: 6.
  EXPECT_NEAR(
      describe_drawn_round(drawn_case(strategy::async_pool, 2, "exp:1ms", generated_names(3)),
                           {3ms, 3ms, 3ms})
          .ideal_s,
      0.006, 1e-12);
}

// The query a request for `name` carried, recorded by a fake server.
class recording_server {
 public:
  recording_server()
      : fake_([this](std::string_view target) {
          const auto q = target.find('?');
          const std::string path(target.substr(1, q == std::string_view::npos ? q : q - 1));
          {
            std::lock_guard lock(mutex_);
            queries_[path] =
                q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
          }
          return testing::hello_reply(target);
        }) {}
  [[nodiscard]] std::string url() const { return fake_.url(); }
  [[nodiscard]] std::map<std::string, std::string> queries() {
    std::lock_guard lock(mutex_);
    return queries_;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> queries_;
  testing::fake_server fake_;  // last: stops (joins its threads) first
};

std::string expected_query(microseconds d) {
  if (d.count() % 1000 == 0)
    return "delay_ms=" + std::to_string(d.count() / 1000);
  return "delay_us=" + std::to_string(d.count());
}

// In-process strategies (a process pool refuses to fork beside the fake
// server's threads; the program test runs it against the real server).
TEST(drawn_delays, every_request_asks_for_the_delay_drawn_at_its_position) {
  for (auto s : {strategy::serial, strategy::thread_pool, strategy::async_pool, strategy::floor,
                 strategy::unbounded}) {
    recording_server server;
    const auto c = drawn_case(s, 3, "uniform:1ms..3ms", generated_names(12));
    auto runner = make_strategy(c, http::url::parse(server.url()), {});
    for (std::uint64_t round = 0; round < 2; ++round) {
      const auto delays = delays_of_round(c, {9, 0, round});
      const auto result = runner->run_round(delays);
      EXPECT_NO_THROW(verify_round(c, http::url::parse(server.url()), result, {}, delays));
      const auto seen = server.queries();
      ASSERT_EQ(seen.size(), c.names.size()) << c.name();
      for (std::size_t i = 0; i < c.names.size(); ++i)
        EXPECT_EQ(seen.at(c.names[i]), expected_query(delays[i])) << c.name() << " " << i;
      // The server's answer came after at least the asked delay (a real
      // server waits; this fake does not, so only the query is checked).
    }
  }
}

// Holds every answer until it has seen `expected` requests at once, or
// until the deadline, when it answers 503 instead: a client that never has
// the whole batch in flight fails, one that does gets its answers.
class barrier_server {
 public:
  barrier_server(std::size_t expected, std::chrono::seconds patience)
      : expected_(expected),
        patience_(patience),
        fake_([this](std::string_view target) { return hold(target); }) {}
  [[nodiscard]] std::string url() const { return fake_.url(); }
  [[nodiscard]] std::size_t peak_waiting() {
    std::lock_guard lock(mutex_);
    return peak_;
  }

 private:
  testing::fake_reply hold(std::string_view target) {
    std::unique_lock lock(mutex_);
    ++waiting_;
    peak_ = std::max(peak_, waiting_);
    const auto generation = generation_;
    if (waiting_ == expected_) {  // the whole batch is here: release it
      waiting_ = 0;
      ++generation_;
      released_.notify_all();
      return testing::hello_reply(target);
    }
    const bool all_came =
        released_.wait_for(lock, patience_, [&] { return generation_ != generation; });
    if (!all_came) {
      --waiting_;
      return {testing::fake_reply::action::answer,
              testing::raw_http_response(503, "not the whole batch in flight")};
    }
    return testing::hello_reply(target);
  }

  const std::size_t expected_;
  const std::chrono::seconds patience_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::size_t waiting_ = 0;
  std::size_t peak_ = 0;
  std::uint64_t generation_ = 0;  // rounds released so far
  testing::fake_server fake_;     // last: stops (joins its threads) first
};

TEST(unbounded, has_the_no_pool_to_size) {
  constexpr std::size_t batch = 40;
  for (const auto conn : {connection::fresh, connection::keep_alive}) {
    // Patient (40 connections open in well under a second, even loaded), and
    // less than the client's 30 s read timeout, so a client that falls short
    // fails on the server's 503, which says why.
    barrier_server server(batch, 20s);
    bench_case c{strategy::unbounded, pool_mode::warm, generated_names(batch), batch, 0, conn};
    auto runner = make_strategy(c, http::url::parse(server.url()), {});
    for (std::uint64_t round = 0; round < 2; ++round) {
      const auto result = runner->run_round(delays_of_round(c, {}));
      EXPECT_NO_THROW(verify_round(c, http::url::parse(server.url()), result)) << c.name();
    }
    EXPECT_EQ(server.peak_waiting(), batch) << c.name();
  }
}

// The same server tells a bounded pool apart: its workers wait for answers
// that wait for requests the pool has not sent.
TEST(unbounded, a_bounded_pool_does_not_have_the_no_pool_to_size) {
  constexpr std::size_t batch = 8;
  barrier_server server(batch, 2s);
  const bench_case c{strategy::async_pool, pool_mode::warm, generated_names(batch), batch - 1, 0,
                     connection::fresh};
  auto runner = make_strategy(c, http::url::parse(server.url()), {});
  EXPECT_THROW((void)runner->run_round(delays_of_round(c, {})), http::request_error);
}

}  // namespace
}  // namespace poolbench::runner
