#include "client_test_support.hpp"
#include "fake_server.hpp"
#include "server_process.hpp"

#include <poolbench/http/async_client.hpp>
#include <poolbench/http/request_error.hpp>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <vector>

namespace poolbench::http {
namespace {

namespace asio = boost::asio;
using testing::fake_reply;
using testing::fake_server;
using kind = request_error::kind;

// Runs `work` on `ioc` from this thread, at most 30 s, and returns its result.
template <class T>
T run(asio::io_context& ioc, asio::awaitable<T> work) {
  auto result = asio::co_spawn(ioc, std::move(work), asio::use_future);
  ioc.restart();
  ioc.run_for(std::chrono::seconds(30));
  if (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    throw std::runtime_error("coroutine did not finish within 30 s");
  }
  return result.get();
}

class async_client_real_server : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::server_process(POOLBENCH_SERVER_PATH); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static url server_url() { return url::parse(server_->url()); }
  static inline testing::server_process* server_ = nullptr;
  asio::io_context ioc_;
};

TEST_F(async_client_real_server, fresh_connection_per_request) {
  async_client client(ioc_.get_executor(), server_url(), {.mode = connection::fresh});
  EXPECT_EQ(run(ioc_, client.get_hello("romeo")), "Hello, romeo");
  EXPECT_EQ(run(ioc_, client.get_hello("julliet")), "Hello, julliet");
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST_F(async_client_real_server, keep_alive_reuses_one_connection) {
  async_client client(ioc_.get_executor(), server_url(), {.mode = connection::keep_alive});
  const auto many = [&]() -> asio::awaitable<int> {
    int ok = 0;
    for (int i = 0; i < 20; ++i)
      ok += (co_await client.get_hello("romeo")) == "Hello, romeo";
    co_return ok;
  };
  EXPECT_EQ(run(ioc_, many()), 20);
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST_F(async_client_real_server, concurrent_clients_on_one_thread_overlap_delays) {
  // Ten clients waiting 100 ms each at once on one thread: the waits overlap.
  std::vector<async_client> clients;
  for (int i = 0; i < 10; ++i)
    clients.emplace_back(ioc_.get_executor(), server_url());
  std::vector<std::future<std::string>> results;
  for (int i = 0; i < 10; ++i) {
    results.push_back(asio::co_spawn(ioc_,
                                     clients[static_cast<std::size_t>(i)].get_hello(
                                         std::string("n").append(std::to_string(i)), 100),
                                     asio::use_future));
  }
  ioc_.run_for(std::chrono::seconds(30));
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(results[static_cast<std::size_t>(i)].wait_for(std::chrono::seconds(0)),
              std::future_status::ready);
    EXPECT_EQ(results[static_cast<std::size_t>(i)].get(),
              std::string("Hello, n").append(std::to_string(i)));
  }
}

TEST_F(async_client_real_server, a_short_request_finishes_while_a_long_one_waits) {
  // An order, not a clock: on one thread, a 3 s request is started first and
  // a 0 ms one second. A client that blocked its thread while waiting would
  // finish them in the order started; only overlapping waits finish the
  // short one first. The 3 s only has to outlast one quick round trip.
  async_client slow(ioc_.get_executor(), server_url());
  async_client quick(ioc_.get_executor(), server_url());
  std::vector<std::string> finished;
  const auto fetch = [&finished](async_client& client, std::string name,
                                 unsigned delay_ms) -> asio::awaitable<std::string> {
    auto body = co_await client.get_hello(name, delay_ms);
    finished.push_back(name);
    co_return body;
  };
  auto slow_body = asio::co_spawn(ioc_, fetch(slow, "slow", 3000), asio::use_future);
  auto quick_body = asio::co_spawn(ioc_, fetch(quick, "quick", 0), asio::use_future);
  ioc_.run_for(std::chrono::seconds(60));
  ASSERT_EQ(slow_body.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  ASSERT_EQ(quick_body.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_EQ(slow_body.get(), "Hello, slow");
  EXPECT_EQ(quick_body.get(), "Hello, quick");
  EXPECT_EQ(finished, (std::vector<std::string>{"quick", "slow"}));
}

TEST(async_client, wrong_body_is_an_error_naming_the_request) {
  fake_server server([](std::string_view) {
    return fake_reply{fake_reply::action::answer, testing::raw_http_response(200, "Hello, tybalt")};
  });
  asio::io_context ioc;
  async_client client(ioc.get_executor(), url::parse(server.url()));
  try {
    (void)run(ioc, client.get_hello("romeo", 3));
    FAIL() << "accepted a wrong body";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::bad_response);
    EXPECT_EQ(std::string(e.what()), "GET " + server.url() +
                                         "/romeo?delay_ms=3: expected 200 'Hello, romeo', got 200 "
                                         "'Hello, tybalt'");
  }
}

TEST(async_client, refused_connection_says_so) {
  asio::io_context ioc;
  async_client client(ioc.get_executor(),
                      url::parse("http://127.0.0.1:" + std::to_string(testing::dead_port())));
  try {
    (void)run(ioc, client.get_hello("romeo"));
    FAIL() << "connected to a dead port";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::cannot_connect);
    EXPECT_EQ(e.detail(), "connection refused");
  }
}

TEST(async_client, read_timeout) {
  fake_server server([](std::string_view) { return fake_reply{fake_reply::action::hang, {}}; });
  asio::io_context ioc;
  async_client client(ioc.get_executor(), url::parse(server.url()),
                      {.read_timeout = std::chrono::milliseconds(100)});
  try {
    (void)run(ioc, client.get_hello("romeo"));
    FAIL() << "no timeout";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::timeout) << e.what();
  }
}

// A listener whose accept queue is full and never drained: the kernel drops
// further SYNs, so a connect to it hangs until the client gives up.
class full_listener {
 public:
  full_listener() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd_, 0) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("full_listener: cannot listen");
    port_ = ntohs(addr.sin_port);
    // Connect until one does not complete within 200 ms: the queue is full
    // (at most 8 tries; a backlog of 0 holds one connection on Linux).
    for (int i = 0; i < 8; ++i) {
      const int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      fillers_.push_back(c);
      (void)::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      pollfd p{c, POLLOUT, 0};
      if (poll(&p, 1, 200) == 0) {
        full_ = true;
        break;
      }
    }
  }
  ~full_listener() {
    for (int c : fillers_)
      close(c);
    close(fd_);
  }
  full_listener(const full_listener&) = delete;
  full_listener& operator=(const full_listener&) = delete;
  [[nodiscard]] bool full() const { return full_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  unsigned short port_ = 0;
  bool full_ = false;
  std::vector<int> fillers_;
};

TEST(async_client, connect_timeout) {
  full_listener listener;
  if (!listener.full())
    GTEST_SKIP() << "the kernel kept accepting connections: no hanging connect to time out";
  asio::io_context ioc;
  async_client client(ioc.get_executor(), url::parse(listener.url()),
                      {.connect_timeout = std::chrono::milliseconds(200)});
  try {
    (void)run(ioc, client.get_hello("romeo"));
    FAIL() << "connected to a full listener";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::cannot_connect) << e.what();
    EXPECT_EQ(e.detail(), "connect timed out after 200 ms");
  }
}

// The read timeout bounds each request, not the connection: five answers of
// 300 ms each on one keep-alive connection (1.5 s in all) under a 1.2 s
// timeout all arrive.
TEST_F(async_client_real_server, read_timeout_counts_per_request) {
  async_client client(
      ioc_.get_executor(), server_url(),
      {.mode = connection::keep_alive, .read_timeout = std::chrono::milliseconds(1200)});
  const auto several = [&]() -> asio::awaitable<int> {
    int ok = 0;
    for (int i = 0; i < 5; ++i)
      ok += (co_await client.get_hello("romeo", 300)) == "Hello, romeo";
    co_return ok;
  };
  EXPECT_EQ(run(ioc_, several()), 5);
  EXPECT_EQ(client.connections_opened(), 1u);
}

// After a timeout the client works again: the next request gets a new
// connection and a fresh deadline, not the expired one.
TEST(async_client, a_request_after_a_timeout_succeeds) {
  std::atomic<int> served{0};  // the fake server answers each connection on a thread of its own
  fake_server server([&served](std::string_view target) {
    return ++served == 1 ? fake_reply{fake_reply::action::hang, {}} : testing::hello_reply(target);
  });
  asio::io_context ioc;
  async_client client(
      ioc.get_executor(), url::parse(server.url()),
      {.mode = connection::keep_alive, .read_timeout = std::chrono::milliseconds(200)});
  EXPECT_THROW((void)run(ioc, client.get_hello("romeo")), request_error);
  EXPECT_EQ(run(ioc, client.get_hello("romeo")), "Hello, romeo");
}

TEST(async_client, close_without_answer_is_an_io_error) {
  fake_server server([](std::string_view) { return fake_reply{fake_reply::action::close, {}}; });
  asio::io_context ioc;
  async_client client(ioc.get_executor(), url::parse(server.url()));
  try {
    (void)run(ioc, client.get_hello("romeo"));
    FAIL() << "no error";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), kind::io) << e.what();
  }
}

TEST(async_client, keep_alive_reconnects_when_server_closed) {
  fake_server server(testing::hello_reply, /*requests_per_connection=*/2);
  asio::io_context ioc;
  async_client client(ioc.get_executor(), url::parse(server.url()),
                      {.mode = connection::keep_alive});
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(run(ioc, client.get_hello("romeo")), "Hello, romeo");
  EXPECT_EQ(client.connections_opened(), 3u);
  EXPECT_EQ(server.connections(), 3u);
}

// Answers the fast parser leaves to Beast (simple_response.hpp) still work:
// a chunked body, and a Connection: close the client must honour.
TEST(async_client, answers_beyond_the_fast_parser_are_read_by_beast) {
  fake_server server([](std::string_view) {
    return fake_reply{fake_reply::action::answer,
                      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "7\r\nHello, \r\n5\r\nromeo\r\n0\r\n\r\n"};
  });
  asio::io_context ioc;
  async_client client(ioc.get_executor(), url::parse(server.url()),
                      {.mode = connection::keep_alive});
  EXPECT_EQ(run(ioc, client.get_hello("romeo")), "Hello, romeo");
  EXPECT_EQ(run(ioc, client.get_hello("romeo")), "Hello, romeo");
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(async_client, connection_close_answer_closes_the_connection) {
  fake_server server([](std::string_view) {
    return fake_reply{fake_reply::action::answer,
                      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 12\r\n\r\n"
                      "Hello, romeo"};
  });
  asio::io_context ioc;
  async_client client(ioc.get_executor(), url::parse(server.url()),
                      {.mode = connection::keep_alive});
  EXPECT_EQ(run(ioc, client.get_hello("romeo")), "Hello, romeo");
  EXPECT_EQ(run(ioc, client.get_hello("romeo")), "Hello, romeo");
  EXPECT_EQ(client.connections_opened(), 2u);
}

}  // namespace
}  // namespace poolbench::http
