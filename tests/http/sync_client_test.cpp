#include "client_test_support.hpp"
#include "fake_server.hpp"
#include "server_process.hpp"

#include <poolbench/http/request_error.hpp>
#include <poolbench/http/sync_client.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace poolbench::http {
namespace {

using testing::fake_reply;
using testing::fake_server;
using kind = request_error::kind;

class sync_client_real_server : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::server_process(POOLBENCH_SERVER_PATH); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static url server_url() { return url::parse(server_->url()); }
  static inline testing::server_process* server_ = nullptr;
};

TEST_F(sync_client_real_server, fresh_connection_per_request) {
  sync_client client(server_url(), {.mode = connection::fresh});
  EXPECT_EQ(client.get_hello("romeo"), "Hello, romeo");
  EXPECT_EQ(client.get_hello("julliet"), "Hello, julliet");
  EXPECT_EQ(client.get_hello("mercucio"), "Hello, mercucio");
  EXPECT_EQ(client.connections_opened(), 3u);
}

TEST_F(sync_client_real_server, keep_alive_reuses_one_connection) {
  sync_client client(server_url(), {.mode = connection::keep_alive});
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(client.get_hello("romeo"), "Hello, romeo");
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST_F(sync_client_real_server, names_are_percent_encoded_round_trip) {
  sync_client client(server_url());
  EXPECT_EQ(client.get_hello("a b/c?d&e%f"), "Hello, a b/c?d&e%f");
  EXPECT_EQ(client.get_hello("Zoë"), "Hello, Zoë");
}

TEST_F(sync_client_real_server, delay_is_honoured) {
  sync_client client(server_url(), {.mode = connection::keep_alive});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.get_hello("slow", 50), "Hello, slow");
  // A lower bound only: the server must not answer before the delay.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
}

TEST_F(sync_client_real_server, host_name_resolves) {
  auto u = server_url();
  u.host = "localhost";  // may resolve to ::1 first, which refuses; the client tries each address
  sync_client client(u);
  EXPECT_EQ(client.get_hello("romeo"), "Hello, romeo");
}

TEST_F(sync_client_real_server, non_hello_answer_is_an_error_naming_the_request) {
  sync_client client(server_url());
  EXPECT_EQ(client.get("/romeo?delay_ms=abc").status, 400u);
  try {
    (void)client.get_hello("x", 999'999'999);  // above the server's max delay: 400
    FAIL() << "accepted a 400";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::bad_response);
    EXPECT_NE(std::string(e.what()).find("GET http://127.0.0.1:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/x?delay_ms=999999999: expected 200 'Hello, x', got 400"),
              std::string::npos)
        << e.what();
  }
}

TEST(sync_client, wrong_body_is_an_error) {
  fake_server server([](std::string_view) {
    return fake_reply{fake_reply::action::answer, testing::raw_http_response(200, "Hello, tybalt")};
  });
  sync_client client(url::parse(server.url()));
  try {
    (void)client.get_hello("romeo");
    FAIL() << "accepted a wrong body";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::bad_response);
    EXPECT_EQ(std::string(e.what()), "GET " + server.url() +
                                         "/romeo: expected 200 'Hello, romeo', got 200 'Hello, "
                                         "tybalt'");
  }
}

TEST(sync_client, refused_connection_says_so) {
  const auto port = testing::dead_port();
  sync_client client(url::parse("http://127.0.0.1:" + std::to_string(port)));
  try {
    (void)client.get_hello("romeo");
    FAIL() << "connected to a dead port";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::cannot_connect);
    EXPECT_EQ(e.detail(), "connection refused");
  }
}

TEST(sync_client, read_timeout) {
  fake_server server([](std::string_view) { return fake_reply{fake_reply::action::hang, {}}; });
  sync_client client(url::parse(server.url()), {.read_timeout = std::chrono::milliseconds(100)});
  try {
    (void)client.get_hello("romeo");
    FAIL() << "no timeout";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::timeout) << e.what();
  }
}

TEST(sync_client, close_without_answer_is_an_io_error) {
  fake_server server([](std::string_view) { return fake_reply{fake_reply::action::close, {}}; });
  sync_client client(url::parse(server.url()), {.mode = connection::fresh});
  try {
    (void)client.get_hello("romeo");
    FAIL() << "no error";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::io) << e.what();
  }
}

TEST(sync_client, not_http_is_an_io_error) {
  fake_server server([](std::string_view) {
    return fake_reply{fake_reply::action::answer, "SSH-2.0-OpenSSH\r\n\r\n"};
  });
  sync_client client(url::parse(server.url()));
  EXPECT_THROW((void)client.get_hello("romeo"), request_error);
}

TEST(sync_client, oversized_body_is_refused) {
  fake_server server([](std::string_view) {
    return fake_reply{fake_reply::action::answer,
                      testing::raw_http_response(200, std::string(100'000, 'x'))};
  });
  sync_client client(url::parse(server.url()));
  try {
    (void)client.get_hello("romeo");
    FAIL() << "accepted 100 kB";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::bad_response) << e.what();
  }
}

TEST(sync_client, keep_alive_reconnects_when_server_closed) {
  fake_server server(testing::hello_reply, /*requests_per_connection=*/2);
  sync_client client(url::parse(server.url()), {.mode = connection::keep_alive});
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(client.get_hello("romeo"), "Hello, romeo");
  // 2 + 2 + 1 answers: the stale connection is noticed and replaced, silently.
  EXPECT_EQ(client.connections_opened(), 3u);
  EXPECT_EQ(server.connections(), 3u);
}

TEST(sync_client, keep_alive_recovers_after_a_failed_request) {
  std::atomic<int> calls{0};
  fake_server server([&](std::string_view target) {
    if (calls++ == 1)
      return fake_reply{fake_reply::action::close, {}};
    return testing::hello_reply(target);
  });
  sync_client client(url::parse(server.url()), {.mode = connection::keep_alive});
  EXPECT_EQ(client.get_hello("a"), "Hello, a");
  // The second request is dropped on the reused connection; the retry on a new one succeeds.
  EXPECT_EQ(client.get_hello("b"), "Hello, b");
  EXPECT_EQ(client.connections_opened(), 2u);
}

}  // namespace
}  // namespace poolbench::http
