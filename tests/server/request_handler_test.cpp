#include "request_handler.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>

namespace {

namespace http = boost::beast::http;
using poolbench::server::handle_request;
using poolbench::server::parse_target;
using poolbench::server::request;
using poolbench::server::request_limits;

request make_request(http::verb method, std::string target, unsigned version = 11) {
  request req{method, target, version};
  req.set(http::field::host, "127.0.0.1");
  return req;
}

TEST(ParseTarget, NameIsThePercentDecodedPath) {
  std::string error;
  auto t = parse_target("/J%C3%BCrgen", {}, error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->name, "Jürgen");
  EXPECT_EQ(t->delay.count(), 0);
  EXPECT_FALSE(t->delay_named);
}

TEST(ParseTarget, RootIsTheEmptyName) {
  std::string error;
  auto t = parse_target("/", {}, error);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->name, "");
}

TEST(ParseTarget, ReadsDelayAndIgnoresOtherParameters) {
  std::string error;
  auto t = parse_target("/romeo?x=1&delay_ms=25&y", {}, error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->name, "romeo");
  EXPECT_EQ(t->delay, std::chrono::milliseconds(25));
  EXPECT_TRUE(t->delay_named);
}

TEST(ParseTarget, ReadsDelayInMicroseconds) {
  std::string error;
  auto t = parse_target("/romeo?delay_us=250", {}, error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->delay, std::chrono::microseconds(250));
  EXPECT_TRUE(t->delay_named);
  auto zero = parse_target("/romeo?delay_us=0", {}, error);
  ASSERT_TRUE(zero) << error;
  EXPECT_TRUE(zero->delay_named);  // named, even as 0: a distribution must not replace it
  auto none = parse_target("/romeo?x=1", {}, error);
  ASSERT_TRUE(none) << error;
  EXPECT_FALSE(none->delay_named);
}

TEST(ParseTarget, DelayUsIsBoundByMaxDelayMs) {
  request_limits limits;
  limits.max_delay_ms = 100;
  std::string error;
  EXPECT_TRUE(parse_target("/a?delay_us=100000", limits, error)) << error;
  EXPECT_FALSE(parse_target("/a?delay_us=100001", limits, error));
  EXPECT_EQ(error, "delay_us must be at most 100000");
  limits.max_delay_ms = std::numeric_limits<std::uint64_t>::max();  // no overflow
  EXPECT_FALSE(parse_target("/a?delay_us=99999999999999999999999", limits, error));
}

TEST(ParseTarget, DelayMsAndDelayUsTogetherIsAnError) {
  std::string error;
  EXPECT_FALSE(parse_target("/a?delay_ms=1&delay_us=5", {}, error));
  EXPECT_EQ(error, "give delay_ms or delay_us, not both");
  EXPECT_FALSE(parse_target("/a?delay_us=1&delay_us=5", {}, error));
  EXPECT_EQ(error, "delay_us given twice");
}

TEST(ParseTarget, RejectsBadDelays) {
  request_limits limits;
  limits.max_delay_ms = 100;
  for (const char* target :
       {"/a?delay_ms=", "/a?delay_ms", "/a?delay_ms=-1", "/a?delay_ms=1.5", "/a?delay_ms=abc",
        "/a?delay_ms=101", "/a?delay_ms=1&delay_ms=2", "/a?delay_ms=99999999999999999999999",
        "/a?delay_us=", "/a?delay_us=-1", "/a?delay_us=1.5", "/a?delay_us=1ms"}) {
    std::string error;
    EXPECT_FALSE(parse_target(target, limits, error)) << target;
    EXPECT_NE(error, "") << target;
  }
  std::string error;
  EXPECT_TRUE(parse_target("/a?delay_ms=100", limits, error));
}

TEST(ParseTarget, RejectsNonOriginFormsAndBadEscapes) {
  std::string error;
  EXPECT_FALSE(parse_target("*", {}, error));
  EXPECT_FALSE(parse_target("http://x/a", {}, error));
  EXPECT_FALSE(parse_target("/a%2", {}, error));
  EXPECT_EQ(error, "invalid percent-encoding in name");
}

TEST(HandleRequest, AnswersHelloWithSafeHeaders) {
  auto handled = handle_request(make_request(http::verb::get, "/romeo"), {});
  EXPECT_EQ(handled.res.result(), http::status::ok);
  EXPECT_EQ(handled.res.body(), "Hello, romeo");
  EXPECT_EQ(handled.res[http::field::content_type], "text/plain; charset=utf-8");
  EXPECT_EQ(handled.res["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(handled.res[http::field::content_length], "12");
  EXPECT_TRUE(handled.res.keep_alive());
}

TEST(HandleRequest, HeadHasTheGetLengthButNoBody) {
  auto handled = handle_request(make_request(http::verb::head, "/romeo"), {});
  EXPECT_EQ(handled.res.result(), http::status::ok);
  EXPECT_EQ(handled.res.body(), "");
  EXPECT_EQ(handled.res[http::field::content_length], "12");
}

TEST(HandleRequest, EncodedLineBreaksStayInTheBody) {
  auto handled = handle_request(make_request(http::verb::get, "/a%0D%0ASet-Cookie:%20x=1"), {});
  EXPECT_EQ(handled.res.body(), "Hello, a\r\nSet-Cookie: x=1");
  EXPECT_EQ(handled.res.count(http::field::set_cookie), 0u);
}

TEST(HandleRequest, OtherMethodsGet405WithAllow) {
  for (auto verb : {http::verb::post, http::verb::put, http::verb::delete_, http::verb::options}) {
    auto handled = handle_request(make_request(verb, "/romeo"), {});
    EXPECT_EQ(handled.res.result(), http::status::method_not_allowed);
    EXPECT_EQ(handled.res[http::field::allow], "GET, HEAD");
  }
}

TEST(HandleRequest, LongTargetIs414AndLargeHeadersAre431) {
  request_limits limits;
  auto long_target = handle_request(
      make_request(http::verb::get, "/" + std::string(limits.max_target_bytes, 'a')), limits);
  EXPECT_EQ(long_target.res.result(), http::status::uri_too_long);
  EXPECT_FALSE(long_target.res.keep_alive());

  auto req = make_request(http::verb::get, "/a");
  req.set("X-Big", std::string(limits.max_header_bytes, 'b'));
  EXPECT_EQ(handle_request(req, limits).res.result(),
            http::status::request_header_fields_too_large);
}

TEST(HandleRequest, DelayIsReturnedNotSlept) {
  auto handled = handle_request(make_request(http::verb::get, "/a?delay_ms=7000"), {});
  EXPECT_EQ(handled.res.result(), http::status::ok);
  EXPECT_EQ(handled.delay, std::chrono::milliseconds(7000));
}

TEST(HandleRequest, Http10ClosesUnlessKeepAliveAsked) {
  EXPECT_FALSE(handle_request(make_request(http::verb::get, "/a", 10), {}).res.keep_alive());
  auto req = make_request(http::verb::get, "/a", 10);
  req.set(http::field::connection, "keep-alive");
  EXPECT_TRUE(handle_request(req, {}).res.keep_alive());
  auto close = make_request(http::verb::get, "/a");
  close.set(http::field::connection, "close");
  EXPECT_FALSE(handle_request(close, {}).res.keep_alive());
}

// The shortcut must be byte for byte what the general path answers.
TEST(SerializeHello, WritesExactlyWhatHandleRequestAnswers) {
  using poolbench::server::serialize;
  using poolbench::server::serialize_hello;
  struct variant {
    std::string target;
    unsigned version;
    std::string connection;  // empty: no Connection field
  };
  const variant variants[] = {
      {"/romeo", 11, ""},
      {"/romeo", 11, "close"},
      {"/romeo", 11, "keep-alive"},
      {"/romeo", 10, ""},
      {"/romeo", 10, "keep-alive"},
      {"/romeo", 10, "close"},
      {"/", 11, ""},
      {"/a%20b?x=1", 11, ""},
      {"/a%0D%0Ab", 11, "Close"},
      {"/a?delay_ms=0", 11, ""},
      {std::string("/").append(300, 'n'), 11, "upgrade, close"},
  };
  for (const auto& v : variants) {
    auto req = make_request(http::verb::get, v.target, v.version);
    if (!v.connection.empty())
      req.set(http::field::connection, v.connection);
    std::string expected, fast;
    const auto handled = handle_request(req, {});
    serialize(handled.res, expected);
    const auto keep_alive = serialize_hello(req, {}, fast);
    ASSERT_TRUE(keep_alive.has_value()) << v.target;
    EXPECT_EQ(fast, expected) << v.target << " HTTP/" << v.version << " " << v.connection;
    EXPECT_EQ(*keep_alive, handled.res.keep_alive()) << v.target;
  }
}

TEST(SerializeHello, LeavesEverythingElseToHandleRequest) {
  using poolbench::server::serialize_hello;
  request_limits limits;
  auto big_headers = make_request(http::verb::get, "/a");
  big_headers.set("X-Big", std::string(limits.max_header_bytes, 'b'));
  const request others[] = {
      make_request(http::verb::head, "/romeo"),
      make_request(http::verb::post, "/romeo"),
      make_request(http::verb::get, "/a?delay_ms=5"),
      make_request(http::verb::get, "/a?delay_us=5"),
      make_request(http::verb::get, "/a%2"),
      make_request(http::verb::get, std::string("/").append(limits.max_target_bytes, 'a')),
      big_headers,
  };
  for (const auto& req : others) {
    std::string out = "untouched";
    EXPECT_FALSE(serialize_hello(req, limits, out).has_value()) << req.target();
    EXPECT_EQ(out, "untouched");
  }
}

}  // namespace

namespace {

using poolbench::server::respond_to_bytes;

TEST(RespondToBytes, AnswersPipelinedRequestsInOrder) {
  const auto out = respond_to_bytes("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n", {});
  const auto a = out.find("Hello, a");
  const auto b = out.find("Hello, b");
  ASSERT_NE(a, std::string::npos) << out;
  ASSERT_NE(b, std::string::npos) << out;
  EXPECT_LT(a, b);
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
}

TEST(RespondToBytes, IncompleteInputGetsNoAnswerYet) {
  EXPECT_EQ(respond_to_bytes("GET /a HTTP/1.1\r\nHost: x\r\n", {}), "");
}

TEST(RespondToBytes, GarbageGets400AndStops) {
  const auto out = respond_to_bytes("NOT HTTP AT ALL\r\n\r\nGET /a HTTP/1.1\r\n\r\n", {});
  EXPECT_EQ(out.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << out;
  EXPECT_EQ(out.find("Hello, a"), std::string::npos);
  EXPECT_NE(out.find("Connection: close"), std::string::npos);
}

TEST(RespondToBytes, SizeLimitsMapToTheirStatuses) {
  request_limits limits;
  const std::string long_line = "GET /" + std::string(40 * 1024, 'a') + " HTTP/1.1\r\n\r\n";
  EXPECT_EQ(respond_to_bytes(long_line, limits).substr(0, 12), "HTTP/1.1 414");
  const std::string big_fields =
      "GET /a HTTP/1.1\r\nX: " + std::string(40 * 1024, 'b') + "\r\n\r\n";
  EXPECT_EQ(respond_to_bytes(big_fields, limits).substr(0, 12), "HTTP/1.1 431");
  EXPECT_EQ(
      respond_to_bytes("GET /a HTTP/1.1\r\nContent-Length: 99999\r\n\r\n", limits).substr(0, 12),
      "HTTP/1.1 413");
}

TEST(RespondToBytes, SerializesHeadWithoutBody) {
  const auto out = respond_to_bytes("HEAD /romeo HTTP/1.1\r\n\r\n", {});
  EXPECT_NE(out.find("Content-Length: 12\r\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
}

}  // namespace
