// A backend's 429 and 503 are counted outcomes, retried with exponential
// backoff and full jitter, never sooner than Retry-After, and a request that
// runs out of retries fails with one line naming it and its last status.

#include "fake_server.hpp"

#include <poolbench/http/async_client.hpp>
#include <poolbench/http/request_error.hpp>
#include <poolbench/http/retry_policy.hpp>
#include <poolbench/http/simple_response.hpp>
#include <poolbench/http/sync_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

namespace poolbench::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::fake_server;

TEST(retry_policy, full_jitter_stays_within_the_capped_exponential) {
  const retry_policy policy{.retries = 5, .base = 10ms, .cap = 1000ms};
  EXPECT_EQ(policy.wait(0, 0.0, std::nullopt), 0us);
  EXPECT_EQ(policy.wait(0, 0.5, std::nullopt), 5ms);
  EXPECT_EQ(policy.wait(3, 0.5, std::nullopt), 40ms);    // 10 ms x 2^3 x 0.5
  EXPECT_EQ(policy.wait(20, 0.5, std::nullopt), 500ms);  // the cap, x 0.5
  EXPECT_EQ(policy.wait(1000, 0.999, std::nullopt), 999ms);
}

TEST(retry_policy, retry_after_is_a_lower_bound_up_to_a_minute) {
  const retry_policy policy;
  EXPECT_EQ(policy.wait(0, 0.5, 2), 2s);
  EXPECT_EQ(policy.wait(0, 0.5, 0), 5ms);
  EXPECT_EQ(policy.wait(0, 0.5, 86'400), retry_policy::longest_retry_after);
}

TEST(retry_policy, only_the_seconds_form_of_retry_after_is_read) {
  EXPECT_EQ(parse_retry_after("120"), 120u);
  EXPECT_EQ(parse_retry_after("0"), 0u);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
  EXPECT_EQ(parse_retry_after("-1"), std::nullopt);
  EXPECT_EQ(parse_retry_after(""), std::nullopt);
}

TEST(retry_policy, the_fast_parser_reads_retry_after) {
  simple_response out;
  const std::string answer = "HTTP/1.1 503 Busy\r\nRetry-After: 3\r\nContent-Length: 4\r\n\r\nbusy";
  ASSERT_EQ(parse_simple_response(answer, 1024, out), answer.size());
  EXPECT_EQ(out.status, 503u);
  EXPECT_EQ(out.retry_after_s, 3u);
  const std::string plain = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
  ASSERT_EQ(parse_simple_response(plain, 1024, out), plain.size());
  EXPECT_EQ(out.retry_after_s, std::nullopt);
}

// Answers `status` with Retry-After: 0 to the first `rejections` requests, then hello.
struct rejecting_server {
  rejecting_server(unsigned status, int rejections)
      : fake([this, status, rejections](std::string_view target) {
          if (++seen <= rejections)
            return testing::rejection_reply(status, 0);
          return testing::hello_reply(target);
        }) {}
  std::atomic<int> seen{0};
  fake_server fake;
};

template <class T>
T run(asio::io_context& ioc, asio::awaitable<T> work) {
  auto result = asio::co_spawn(ioc, std::move(work), asio::use_future);
  ioc.run_for(30s);
  if (result.wait_for(0s) != std::future_status::ready)
    throw std::runtime_error("coroutine did not finish within 30 s");
  return result.get();
}

class retries : public ::testing::TestWithParam<connection> {};

TEST_P(retries, sync_client_retries_503_and_429_and_counts_the_answers) {
  for (const unsigned status : {503U, 429U}) {
    rejecting_server server(status, 2);
    sync_client client(url::parse(server.fake.url()), {.mode = GetParam()});
    EXPECT_EQ(client.get_hello("romeo"), "Hello, romeo");
    EXPECT_EQ(client.last_attempts(), 3u);
    EXPECT_EQ(client.get_hello("romeo"), "Hello, romeo");
    EXPECT_EQ(client.last_attempts(), 1u);
  }
}

TEST_P(retries, async_client_retries_on_a_timer_and_counts_the_answers) {
  for (const unsigned status : {503U, 429U}) {
    rejecting_server server(status, 2);
    asio::io_context ioc;
    async_client client(ioc.get_executor(), url::parse(server.fake.url()), {.mode = GetParam()});
    EXPECT_EQ(run(ioc, client.get_hello("romeo")), "Hello, romeo");
    EXPECT_EQ(client.last_attempts(), 3u);
  }
}

TEST_P(retries, running_out_of_retries_names_the_request_and_its_last_status) {
  rejecting_server sync_server(503, 1000);
  client_options options{.mode = GetParam()};
  options.retry.retries = 2;
  sync_client sync(url::parse(sync_server.fake.url()), options);
  try {
    (void)sync.get_hello("romeo");
    FAIL() << "no error";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), request_error::kind::rejected);
    EXPECT_EQ(std::string(e.what()),
              "GET " + sync_server.fake.url() +
                  "/romeo: still 503 after 3 attempts (--retries 2): the server kept refusing it");
  }
  EXPECT_EQ(sync_server.seen, 3);

  rejecting_server async_server(429, 1000);
  asio::io_context ioc;
  async_client client(ioc.get_executor(), url::parse(async_server.fake.url()), options);
  try {
    (void)run(ioc, client.get_hello("romeo"));
    FAIL() << "no error";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), request_error::kind::rejected);
    EXPECT_NE(std::string(e.what()).find("/romeo: still 429 after 3 attempts (--retries 2)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(async_server.seen, 3);
}

TEST(retries, retry_after_is_honoured_as_a_lower_bound) {
  std::atomic<int> seen{0};
  fake_server fake([&](std::string_view target) {
    return ++seen == 1 ? testing::rejection_reply(503, 1) : testing::hello_reply(target);
  });
  sync_client client(url::parse(fake.url()));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.get_hello("romeo"), "Hello, romeo");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(client.last_attempts(), 2u);
}

INSTANTIATE_TEST_SUITE_P(connections, retries,
                         ::testing::Values(connection::fresh, connection::keep_alive),
                         [](const auto& info) {
                           return info.param == connection::fresh ? "fresh" : "keep_alive";
                         });

}  // namespace
}  // namespace poolbench::http
