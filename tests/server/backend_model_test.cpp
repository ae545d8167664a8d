// The backend models without sockets: the admission decisions, the token
// bucket, the queue's handover, the counters and their JSON.

#include "backend_model.hpp"
#include "backend_stats.hpp"
#include "request_handler.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using poolbench::server::backend_model;
using poolbench::server::backend_options;
using poolbench::server::backend_stats;
using outcome = backend_model::admission::outcome;

backend_options limit_of(std::size_t n, poolbench::server::over_limit policy) {
  backend_options o;
  o.max_in_flight = n;
  o.policy = policy;
  return o;
}

TEST(BackendModel, RejectsBeyondTheLimitWithRetryAfterZero) {
  backend_model model(limit_of(2, poolbench::server::over_limit::reject), 10s);
  asio::io_context ioc;
  EXPECT_EQ(model.try_admit(ioc.get_executor()).result, outcome::admitted);
  EXPECT_EQ(model.try_admit(ioc.get_executor()).result, outcome::admitted);
  const auto third = model.try_admit(ioc.get_executor());
  EXPECT_EQ(third.result, outcome::over_limit);
  EXPECT_EQ(third.retry_after_s, 0);
  model.release();
  EXPECT_EQ(model.try_admit(ioc.get_executor()).result, outcome::admitted);
  const auto s = model.stats(false);
  EXPECT_EQ(s.admitted, 3u);
  EXPECT_EQ(s.rejected_503, 1u);
  EXPECT_EQ(s.in_flight, 2u);
  EXPECT_EQ(s.peak_in_flight, 2u);
}

TEST(BackendModel, QueuedRequestsGetTheSlotFirstComeFirstServed) {
  backend_model model(limit_of(1, poolbench::server::over_limit::queue), 10s);
  asio::io_context ioc;
  ASSERT_EQ(model.try_admit(ioc.get_executor()).result, outcome::admitted);
  auto first = model.try_admit(ioc.get_executor());
  auto second = model.try_admit(ioc.get_executor());
  ASSERT_EQ(first.result, outcome::must_wait);
  ASSERT_EQ(second.result, outcome::must_wait);
  std::string order;
  for (auto* a : {&second, &first}) {  // waiting in the opposite order changes nothing
    const char tag = a == &first ? '1' : '2';
    asio::co_spawn(
        ioc, model.wait_for_slot(a->wait),
        [&order, tag](const std::exception_ptr&, std::chrono::microseconds) { order += tag; });
  }
  // Runs what is ready, never waiting for time: the handover is a posted
  // handler, so it is ready as soon as release() returns.
  const auto run_ready = [&ioc] {
    ioc.restart();
    ioc.poll();
  };
  run_ready();
  EXPECT_EQ(order, "");  // nobody released a slot: both still wait
  model.release();
  run_ready();
  EXPECT_EQ(order, "1");
  model.release();
  run_ready();
  EXPECT_EQ(order, "12");
  const auto s = model.stats(false);
  EXPECT_EQ(s.queued, 2u);
  EXPECT_EQ(s.admitted, 3u);
  EXPECT_EQ(s.in_flight, 1u);  // handed over, never freed
  EXPECT_EQ(s.peak_in_flight, 1u);
  EXPECT_GT(s.queue_wait_us_max, 0u);
  EXPECT_GE(s.queue_wait_us_total, s.queue_wait_us_max);
}

TEST(BackendModel, TokenBucketAdmitsTheBurstThenAnswers429) {
  backend_options o;
  o.rate_limit = 0.001;  // one token every 1000 s: none comes back during the test
  o.rate_burst = 3;
  backend_model model(o, 10s);
  asio::io_context ioc;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(model.try_admit(ioc.get_executor()).result, outcome::admitted) << i;
    model.release();
  }
  const auto refused = model.try_admit(ioc.get_executor());
  EXPECT_EQ(refused.result, outcome::rate_limited);
  EXPECT_GE(refused.retry_after_s, 990);  // the next token is about 1000 s away
  EXPECT_LE(refused.retry_after_s, 1000);
  EXPECT_EQ(model.stats(false).rejected_429, 1u);
}

TEST(BackendModel, DefaultBurstIsATenthOfASecondsWorth) {
  backend_options o;
  o.rate_limit = 50;  // burst 5
  backend_model model(o, 10s);
  asio::io_context ioc;
  int admitted = 0;
  for (int i = 0; i < 20; ++i) {
    if (model.try_admit(ioc.get_executor()).result == outcome::admitted) {
      ++admitted;
      model.release();
    }
  }
  // 5 from the bucket, plus what refilled at 50/s while the loop ran (a
  // loaded machine may take a while, so only the bucket is a lower bound).
  EXPECT_GE(admitted, 5);
  EXPECT_LT(admitted, 20);
}

TEST(BackendModel, RetryAfterFlagOverridesTheEstimate) {
  backend_options o = limit_of(1, poolbench::server::over_limit::reject);
  o.retry_after_s = 7;
  o.rate_limit = 0.001;
  o.rate_burst = 1;
  backend_model model(o, 10s);
  asio::io_context ioc;
  ASSERT_EQ(model.try_admit(ioc.get_executor()).result, outcome::admitted);
  EXPECT_EQ(model.try_admit(ioc.get_executor()).retry_after_s, 7);  // 429
  model.release();
}

TEST(BackendModel, OverloadDelayCountsTheOtherRequestsInFlight) {
  backend_options o;
  o.overload_per_request = 250us;
  backend_model model(o, 10s);
  asio::io_context ioc;
  for (int others = 0; others < 4; ++others)
    EXPECT_EQ(model.try_admit(ioc.get_executor()).extra_delay, others * 250us) << others;
}

TEST(BackendModel, ResetZeroesTotalsAndSetsThePeakToNow) {
  backend_model model(limit_of(3, poolbench::server::over_limit::reject), 10s);
  asio::io_context ioc;
  for (int i = 0; i < 3; ++i)
    (void)model.try_admit(ioc.get_executor());
  (void)model.try_admit(ioc.get_executor());  // 503
  model.release();
  model.release();
  const auto before = model.stats(true);
  EXPECT_EQ(before.admitted, 3u);
  EXPECT_EQ(before.rejected_503, 1u);
  EXPECT_EQ(before.peak_in_flight, 3u);
  const auto after = model.stats(false);
  EXPECT_EQ(after.admitted, 0u);
  EXPECT_EQ(after.rejected_503, 0u);
  EXPECT_EQ(after.in_flight, 1u);
  EXPECT_EQ(after.peak_in_flight, 1u);
}

std::vector<std::chrono::microseconds> draws(const std::string& spec, std::uint64_t seed, int n,
                                             std::chrono::microseconds max_delay = 10s) {
  backend_options o;
  o.delay_distribution = spec;
  o.seed = seed;
  backend_model model(o, max_delay);
  std::vector<std::chrono::microseconds> out;
  for (int i = 0; i < n; ++i)
    out.push_back(model.draw_delay());
  return out;
}

TEST(BackendModel, DrawsTheDistributionFromTheSeededStream) {
  const auto a = draws("1ms:50,100ms:50", 3, 2000);
  int slow = 0;
  for (const auto d : a) {
    ASSERT_TRUE(d == 1ms || d == 100ms) << d.count();
    slow += d == 100ms;
  }
  // Half of 2000 with a binomial sd of about 22: 800..1200 is over 9 sd.
  EXPECT_GT(slow, 800);
  EXPECT_LT(slow, 1200);
  EXPECT_EQ(draws("1ms:50,100ms:50", 3, 2000), a);  // the same seed: the same delays
  EXPECT_NE(draws("1ms:50,100ms:50", 4, 2000), a);
}

TEST(BackendModel, DrawsAreCutToTheMaximumDelay) {
  for (const auto d : draws("uniform:1ms..9ms", 1, 500, 5ms)) {
    EXPECT_GE(d, 1ms);
    EXPECT_LE(d, 5ms);
  }
  EXPECT_EQ(draws("", 1, 3), std::vector<std::chrono::microseconds>(3, 0us));
}

TEST(BackendModel, BadDistributionThrows) {
  EXPECT_THROW(draws("lognormal:median=5ms", 1, 1), std::invalid_argument);
}

TEST(BackendStats, JsonHasExactlyTheDocumentedKeys) {
  backend_stats s;
  s.admitted = 1;
  s.rejected_503 = 2;
  s.rejected_429 = 3;
  s.in_flight = 4;
  s.peak_in_flight = 5;
  s.queued = 6;
  s.queue_wait_us_total = 7;
  s.queue_wait_us_max = 8;
  EXPECT_EQ(to_json(s),
            "{\"admitted\":1,\"rejected_503\":2,\"rejected_429\":3,\"in_flight\":4,"
            "\"peak_in_flight\":5,\"queued\":6,\"queue_wait_us_total\":7,"
            "\"queue_wait_us_max\":8}\n");
}

poolbench::server::request get(const std::string& target) {
  poolbench::server::request req{poolbench::server::http::verb::get, target, 11};
  return req;
}

TEST(BackendStats, MatchesOnlyAGetOfExactlyThePath) {
  using poolbench::server::match_stats_request;
  EXPECT_TRUE(match_stats_request(get("/stats"), "/stats"));
  EXPECT_FALSE(match_stats_request(get("/stats"), "/stats")->reset);
  EXPECT_TRUE(match_stats_request(get("/stats?reset=1"), "/stats")->reset);
  EXPECT_TRUE(match_stats_request(get("/stats?x=2&reset=1"), "/stats")->reset);
  EXPECT_FALSE(match_stats_request(get("/stats?reset=0"), "/stats")->reset);
  EXPECT_FALSE(match_stats_request(get("/statsx"), "/stats"));
  EXPECT_FALSE(match_stats_request(get("/stats/"), "/stats"));
  EXPECT_FALSE(match_stats_request(get("/stats"), ""));
  auto head = get("/stats");
  head.method(poolbench::server::http::verb::head);
  EXPECT_FALSE(match_stats_request(head, "/stats"));
}

TEST(BackendStats, ResponseIsJson) {
  const auto res = poolbench::server::stats_response({}, 11, true);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[poolbench::server::http::field::content_type], "application/json");
  EXPECT_TRUE(res.keep_alive());
}

TEST(LimitResponse, CarriesRetryAfterAndKeepsTheConnection) {
  using poolbench::server::http::status;
  const auto res = poolbench::server::limit_response(status::too_many_requests, 3, 11, true);
  EXPECT_EQ(res.result_int(), 429);
  EXPECT_EQ(res[poolbench::server::http::field::retry_after], "3");
  EXPECT_TRUE(res.keep_alive());
  EXPECT_EQ(poolbench::server::limit_response(status::service_unavailable, 0, 11, true).body(),
            "too many requests in flight\n");
}

}  // namespace
