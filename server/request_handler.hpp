#pragma once
// The server's whole application logic, free of sockets so that tests and the
// fuzzer can drive it directly: a parsed request in, a response out.

#include "server_options.hpp"

#include <boost/beast/http.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace poolbench::server {

namespace http = boost::beast::http;

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;
using request_parser = http::request_parser<http::string_body>;

// Gives a fresh parser the server's size limits (target + header fields, body).
void apply_limits(request_parser& parser, const request_limits& limits);

// Feeds `bytes` to `parser` (eagerly: header and body) until it is done or the
// bytes run out; returns how many it consumed. Afterwards either the parser is
// done, or `ec` says why not: http::error::need_more when the request is
// incomplete, any other error when it is malformed or too large.
std::size_t feed_parser(request_parser& parser, std::string_view bytes,
                        boost::system::error_code& ec);

// What to answer when reading a request failed: 400, 413, 414 or 431, all
// closing the connection; nullopt when there is nobody to answer (the peer
// closed or reset, or a timeout fired).
[[nodiscard]] std::optional<response> read_error_response(const boost::system::error_code& ec,
                                                          const request_parser& parser);

// What `GET /<name>?delay_ms=N` (or `?delay_us=N`) asks for, once decoded
// and validated.
struct hello_target {
  std::string name;
  std::chrono::microseconds delay{0};
  bool delay_named = false;  // the target gave delay_ms or delay_us (0 included)
};

// Parses an origin-form target. On failure returns nullopt and sets `error`
// to a one-line reason that becomes the 400 body.
[[nodiscard]] std::optional<hello_target> parse_target(std::string_view target,
                                                       const request_limits& limits,
                                                       std::string& error);

// A response plus how long to hold it back (the simulated backend latency).
struct handled_request {
  response res;
  std::chrono::microseconds delay{0};
  bool delay_named = false;
};

// Answers one well-formed request: 200 hello, 400, 405, 414 or 431.
[[nodiscard]] handled_request handle_request(const request& req, const request_limits& limits);

// The hot path's shortcut. When `req` is a GET answered with a plain 200 hello
// (a valid target, no delay, within the limits), writes into `out` exactly the
// bytes serialize(handle_request(req, limits).res, out) would, without building
// a response message, and returns whether the connection stays open. Returns
// nullopt, `out` untouched, for every other request: handle_request answers it.
[[nodiscard]] std::optional<bool> serialize_hello(const request& req, const request_limits& limits,
                                                  std::string& out);

// A short text/plain error response. `keep_alive` is false when the stream can
// no longer be trusted (the request was not fully parsed).
[[nodiscard]] response error_response(http::status status, std::string_view reason,
                                      unsigned version, bool keep_alive);

// Answers raw bytes exactly as a connection would, request after request,
// without sockets and without waiting for delays: the fuzzer's entry point.
// Stops at incomplete input or after a response that closes the connection.
[[nodiscard]] std::string respond_to_bytes(std::string_view raw, const request_limits& limits);

// The answer to a request a backend model turned away: 429 (rate limit) or
// 503 (requests in flight), with `Retry-After: <retry_after_s>`. The request
// was read whole, so the connection stays usable.
[[nodiscard]] response limit_response(http::status status, std::int64_t retry_after_s,
                                      unsigned version, bool keep_alive);

// Writes `res` as HTTP/1.x bytes into `out` (replacing its contents): one
// contiguous buffer, so answering costs a single write.
void serialize(const response& res, std::string& out);

}  // namespace poolbench::server
