// The live server's bytes on the wire, compared whole with what the request
// handler answers for the same input (respond_to_bytes, socket-free). The
// server takes shortcuts on its hot path (the hello written straight into its
// output buffer, a send that does not wait, the rest written asynchronously);
// these tests hold every shortcut to the handler's exact answer, byte for byte,
// status line included, where a lenient client would parse past a mistake.

#include "request_handler.hpp"

#include <server_binary.hpp>
#include <server_process.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using poolbench::testing::server_process;

// poolbench-server, or the build POOLBENCH_TEST_SERVER names (server_binary.hpp).
const std::string server_binary = poolbench::testing::server_binary(POOLBENCH_SERVER_PATH);

// A blocking loopback socket whose reads and writes wait at most 10 s each.
class wire {
 public:
  // `receive_buffer`: 0 keeps the kernel's default; a small one makes the
  // server's sends find the connection full, so its asynchronous rest runs.
  explicit wire(std::uint16_t port, int receive_buffer = 0) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
      throw std::runtime_error("socket failed");
    timeval tv{};
    tv.tv_sec = 10;
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (receive_buffer > 0)
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd_);
      throw std::runtime_error("connect failed");
    }
  }
  ~wire() { close(fd_); }
  wire(const wire&) = delete;
  wire& operator=(const wire&) = delete;

  // False if a send failed or waited 10 s.
  bool send_all(const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Everything until the server closes (or a read waits 10 s, or `limit`
  // bytes arrived), read `chunk` bytes at a time.
  std::string read_to_end(std::size_t limit, std::size_t chunk = 65536) {
    std::string got;
    std::vector<char> buf(chunk);
    while (got.size() < limit) {
      const ssize_t n = recv(fd_, buf.data(), buf.size(), 0);
      if (n <= 0)
        break;
      got.append(buf.data(), static_cast<std::size_t>(n));
    }
    return got;
  }

 private:
  int fd_ = -1;
};

// Requests of every kind the handler tells apart, pipelined on one
// connection, the last one closing it.
std::string mixed_conversation() {
  return "GET /romeo HTTP/1.1\r\nHost: x\r\n\r\n"
         "HEAD /juliet HTTP/1.1\r\nHost: x\r\n\r\n"
         "GET /J%C3%BCrgen?other=1 HTTP/1.1\r\nHost: x\r\n\r\n"
         "GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
         "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
         "POST /letter HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
         "GET /bad%zz HTTP/1.1\r\nHost: x\r\n\r\n"
         "GET /late?delay_ms=nope HTTP/1.1\r\nHost: x\r\n\r\n"
         "GET /now?delay_ms=0 HTTP/1.1\r\nHost: x\r\n\r\n"
         "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
}

class WireBytes : public ::testing::TestWithParam<std::vector<std::string>> {
 protected:
  void SetUp() override {
    if (!GetParam().empty() && poolbench::testing::testing_io_uring_build())
      GTEST_SKIP() << poolbench::testing::io_uring_refuses_shared_threads;
  }
};

TEST_P(WireBytes, PipelinedRequestsOfEveryKindGetTheHandlersExactBytes) {
  server_process server(server_binary, GetParam());
  const auto request = mixed_conversation();
  const auto expected = poolbench::server::respond_to_bytes(request, {});
  ASSERT_NE(expected.find("Hello, last"), std::string::npos);  // the whole conversation answered
  wire conn(server.port());
  ASSERT_TRUE(conn.send_all(request));
  EXPECT_EQ(conn.read_to_end(expected.size() + 4096), expected);
}

TEST_P(WireBytes, AnswersBeforeAMalformedRequestArriveBeforeItsError) {
  // The hellos exactly, then the 400 that closes the connection. (The live
  // 400 carries the handler's fields, but writes Connection after
  // Content-Length: closing sets keep-alive once more, which moves the field.)
  server_process server(server_binary, GetParam());
  const std::string hellos = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto expected = poolbench::server::respond_to_bytes(hellos, {});
  wire conn(server.port());
  ASSERT_TRUE(conn.send_all(hellos + "NOT HTTP\r\n\r\n"));
  const auto got = conn.read_to_end(expected.size() + 4096);
  EXPECT_EQ(got.substr(0, expected.size()), expected);
  const auto error = got.substr(std::min(got.size(), expected.size()));
  EXPECT_EQ(error.substr(0, 26), "HTTP/1.1 400 Bad Request\r\n") << error;
  EXPECT_NE(error.find("\r\nConnection: close\r\n"), std::string::npos) << error;
}

TEST_P(WireBytes, OneRequestPerConnectionGetsTheHandlersExactBytes) {
  server_process server(server_binary, GetParam());
  for (const std::string request : {"GET /fresh HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                    "GET /old HTTP/1.0\r\n\r\n"}) {
    wire conn(server.port());
    ASSERT_TRUE(conn.send_all(request));
    EXPECT_EQ(conn.read_to_end(4096), poolbench::server::respond_to_bytes(request, {}));
  }
}

TEST_P(WireBytes, PipelinedAnswersAreNotHeldBackByADelayedOneAfterThem) {
  // Answers to pipelined requests leave in one send, but one whose request is
  // delayed (a minute here) must not hold back the answers before it: the
  // first two arrive, exactly, while the third still waits.
  auto args = GetParam();
  for (const char* arg : {"--max-delay-ms", "60000", "--shutdown-grace-ms", "100"})
    args.emplace_back(arg);
  server_process server(server_binary, args);
  const std::string first =
      "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /second HTTP/1.1\r\nHost: x\r\n\r\n";
  const auto expected = poolbench::server::respond_to_bytes(first, {});
  wire conn(server.port());
  ASSERT_TRUE(conn.send_all(first + "GET /late?delay_ms=60000 HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(conn.read_to_end(expected.size()), expected);
}

TEST_P(WireBytes, PipelinedAnswersLeaveBeforeTheServerWaitsForTheRestOfARequest) {
  // The second request's header is complete but its body is not: the first
  // answer must leave before the server waits for the missing bytes.
  server_process server(server_binary, GetParam());
  const std::string first = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string second = "GET /b HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcd";
  wire conn(server.port());
  ASSERT_TRUE(conn.send_all(first + second.substr(0, second.size() - 2)));
  const auto first_answer = poolbench::server::respond_to_bytes(first, {});
  EXPECT_EQ(conn.read_to_end(first_answer.size()), first_answer);
  ASSERT_TRUE(conn.send_all(second.substr(second.size() - 2)));
  const auto second_answer = poolbench::server::respond_to_bytes(second, {});
  EXPECT_EQ(conn.read_to_end(second_answer.size()), second_answer);
}

TEST_P(WireBytes, AnswersLargerThanTheConnectionHoldsArriveWholeAndInOrder) {
  // More answers than the server's send buffer holds (4 MiB at most here),
  // to a client that does not read them at first: the server's sends find
  // the connection full and must carry on exactly where they stopped, or
  // bytes are lost or repeated.
  server_process server(server_binary, GetParam());
  std::string request;
  // Answers of 7 kB, near the target limit: a send into a nearly full
  // connection then takes part of one, not none.
  for (int i = 0; i < 1000; ++i)
    request +=
        "GET /" + std::to_string(i) + std::string(7000, 'n') + " HTTP/1.1\r\nHost: x\r\n\r\n";
  request += "GET /end HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const auto expected = poolbench::server::respond_to_bytes(request, {});
  ASSERT_GT(expected.size(), 6'000'000U);
  wire conn(server.port(), /*receive_buffer=*/4096);
  // The server stops reading while an answer waits to be sent, so the
  // requests go out from a thread of their own. This one starts reading once
  // they are all sent, or after 2 s, when the sender waits on the server.
  std::atomic<bool> sent{false}, sender_done{false};
  std::thread sender([&] {
    sent = conn.send_all(request);
    sender_done = true;
  });
  for (int i = 0; i < 200 && !sender_done; ++i)
    std::this_thread::sleep_for(10ms);
  const auto got = conn.read_to_end(expected.size() + 4096);
  sender.join();
  EXPECT_TRUE(sent);
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected) << "the bytes differ from the handler's answers";
}

INSTANTIATE_TEST_SUITE_P(Server, WireBytes,
                         ::testing::Values(std::vector<std::string>{},
                                           std::vector<std::string>{"--threads", "2"}),
                         [](const auto& info) {
                           return info.param.empty() ? std::string("one_thread")
                                                     : std::string("two_threads");
                         });

}  // namespace
