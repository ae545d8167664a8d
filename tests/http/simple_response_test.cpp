// The fast response parser against Beast's: whatever it accepts, Beast's
// parser (as the clients configure it) must read the same way; and it must
// accept the plain answers it exists for, or it saves nothing.

#include <poolbench/http/lean_response_parser.hpp>
#include <poolbench/http/simple_response.hpp>

#include <boost/asio/buffer.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace poolbench::http {
namespace {

constexpr std::uint64_t body_limit = 64;

struct beast_reading {
  bool done = false;
  std::size_t used = 0;
  unsigned status = 0;
  std::string body;
  bool keep_alive = false;
};

// What the clients' Beast path makes of `data` (one put() loop, eager).
beast_reading read_with_beast(const std::string& data) {
  lean_response_parser parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(body_limit);
  parser.eager(true);
  beast_reading r;
  boost::beast::error_code ec;
  while (!parser.is_done() && r.used < data.size()) {
    const std::size_t n =
        parser.put(boost::asio::buffer(data.data() + r.used, data.size() - r.used), ec);
    r.used += n;
    if (ec || n == 0)
      break;
  }
  if (ec || !parser.is_done())
    return r;
  r.done = true;
  r.status = parser.status();
  r.body = parser.body();
  r.keep_alive = parser.keep_alive();
  return r;
}

// Accepted by the fast path: then Beast agrees byte for byte.
::testing::AssertionResult agrees_with_beast(const std::string& data, bool* accepted = nullptr) {
  simple_response fast;
  const std::size_t used = parse_simple_response(data, body_limit, fast);
  if (accepted)
    *accepted = used > 0;
  if (used == 0)
    return ::testing::AssertionSuccess();
  const beast_reading beast = read_with_beast(data);
  if (!beast.done)
    return ::testing::AssertionFailure() << "fast path accepted what Beast refuses: " << data;
  if (beast.used != used || beast.status != fast.status || beast.body != fast.body ||
      beast.keep_alive != fast.keep_alive) {
    return ::testing::AssertionFailure()
           << "fast path and Beast differ on: " << data << " (used " << used << " vs " << beast.used
           << ", status " << fast.status << " vs " << beast.status << ", keep-alive "
           << fast.keep_alive << " vs " << beast.keep_alive << ")";
  }
  return ::testing::AssertionSuccess();
}

const std::string server_answer =
    "HTTP/1.1 200 OK\r\nServer: poolbench-server\r\nContent-Type: text/plain; "
    "charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: 12\r\n\r\nHello, romeo";

TEST(simple_response, reads_the_servers_answer_like_beast) {
  simple_response out;
  ASSERT_EQ(parse_simple_response(server_answer, body_limit, out), server_answer.size());
  EXPECT_EQ(out.status, 200u);
  EXPECT_EQ(out.body, "Hello, romeo");
  EXPECT_TRUE(out.keep_alive);
  EXPECT_TRUE(agrees_with_beast(server_answer));
}

TEST(simple_response, takes_one_message_and_leaves_the_next) {
  const std::string two = server_answer + server_answer;
  simple_response out;
  EXPECT_EQ(parse_simple_response(two, body_limit, out), server_answer.size());
  EXPECT_TRUE(agrees_with_beast(two));
}

TEST(simple_response, connection_close_and_case_are_read_like_beast) {
  for (const std::string& answer : {
           std::string(
               "HTTP/1.1 404 Not Found\r\nconnection: Close\r\ncontent-length: 3\r\n\r\nno!"),
           std::string(
               "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length:5 \r\n\r\nhello"),
           std::string("HTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n"),
       }) {
    bool accepted = false;
    EXPECT_TRUE(agrees_with_beast(answer, &accepted));
    EXPECT_TRUE(accepted) << answer;
  }
}

TEST(simple_response, leaves_to_beast_what_it_does_not_decide) {
  for (const std::string& answer : {
           std::string("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi"),
           std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"),
           std::string("HTTP/1.1 200 OK\r\n\r\nuntil the end"),
           std::string("HTTP/1.1 204 No Content\r\nContent-Length: 2\r\n\r\nhi"),
           std::string("HTTP/1.1 100 Continue\r\n\r\n"),
           std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi"),
           std::string("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nhi"),
           std::string(
               "HTTP/1.1 200 OK\r\nConnection: close, upgrade\r\nContent-Length: 2\r\n\r\nhi"),
           std::string("HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 2\r\n\r\nhi"),
           std::string("HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\nabove the limit"),
           std::string("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nnot all here"),
           std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"),
           std::string("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi"),
           std::string("HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 2\r\n\r\nhi"),
           std::string("HTTP/1.1 200 OK\r\nX: caf\xc3\xa9\r\nContent-Length: 2\r\n\r\nhi"),
           std::string("HTTP/1.1 200 OK\r\nX: " + std::string(9000, 'a') +
                       "\r\nContent-Length: 2\r\n\r\nhi"),
       }) {
    simple_response out;
    EXPECT_EQ(parse_simple_response(answer, body_limit, out), 0u) << answer;
    EXPECT_TRUE(agrees_with_beast(answer));
  }
}

// Every single-byte change, insertion and deletion of the server's answer,
// and a seeded random walk of several: wherever the fast path still accepts,
// Beast reads the same message.
TEST(simple_response, mutations_are_read_like_beast_or_declined) {
  static constexpr char bytes[] = "\r\n\t :,;-aZ09lL\x7f\x80\x01\x1f\xff";
  const std::string alphabet =
      std::string(bytes, sizeof bytes - 1) + std::string(1, '\0') + "HTTP/1.";
  std::vector<std::string> cases;
  for (std::size_t i = 0; i < server_answer.size(); ++i) {
    for (const char c : alphabet) {
      std::string changed = server_answer;
      changed[i] = c;
      cases.push_back(changed);
      std::string inserted = server_answer;
      inserted.insert(i, 1, c);
      cases.push_back(inserted);
    }
    std::string removed = server_answer;
    removed.erase(i, 1);
    cases.push_back(removed);
  }
  std::mt19937 random(20261201);
  for (int k = 0; k < 20000; ++k) {
    std::string walked = server_answer;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !walked.empty(); ++e) {
      const std::size_t at = random() % walked.size();
      walked[at] = alphabet[random() % alphabet.size()];
    }
    cases.push_back(walked);
  }
  std::size_t accepted_count = 0;
  for (const auto& data : cases) {
    bool accepted = false;
    ASSERT_TRUE(agrees_with_beast(data, &accepted));
    accepted_count += accepted ? 1 : 0;
  }
  EXPECT_GT(accepted_count, 100u);  // the walk must reach accepted answers, not only refusals
}

}  // namespace
}  // namespace poolbench::http
