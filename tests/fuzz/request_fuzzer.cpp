// libFuzzer target: arbitrary bytes through the server's request handling
// (parser with limits → handler → serializer), no sockets. Crashes, leaks,
// undefined behaviour and a broken invariant (checked below) fail the run.

#include "request_handler.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// The only header fields the server ever writes. Anything else in a header
// block would mean request bytes leaked out of the body (header injection).
bool known_field(std::string_view line) {
  static constexpr std::array<std::string_view, 6> names = {
      "Server: ",         "Content-Type: ", "X-Content-Type-Options: ",
      "Content-Length: ", "Connection: ",   "Allow: "};
  for (auto name : names) {
    if (line.substr(0, name.size()) == name)
      return true;
  }
  return false;
}

// True if `text` contains "head" in any case: only then may a response
// (to a HEAD request) come without the body its Content-Length announces.
bool mentions_head(std::string_view text) {
  for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
    if ((text[i] | 0x20) == 'h' && (text[i + 1] | 0x20) == 'e' && (text[i + 2] | 0x20) == 'a' &&
        (text[i + 3] | 0x20) == 'd')
      return true;
  }
  return false;
}

// Walks the concatenated responses; aborts on anything malformed, including
// a response missing its body when no request can have been a HEAD.
void check_responses(std::string_view out, bool bodies_may_be_omitted) {
  while (!out.empty()) {
    if (out.substr(0, 7) != "HTTP/1.")
      std::abort();
    const auto head_end = out.find("\r\n\r\n");
    if (head_end == std::string_view::npos)
      std::abort();
    auto head = out.substr(0, head_end + 2);
    head.remove_prefix(head.find("\r\n") + 2);  // the status line
    std::size_t length = 0;
    while (!head.empty()) {
      const auto eol = head.find("\r\n");
      const auto line = head.substr(0, eol);
      if (!known_field(line))
        std::abort();
      if (line.substr(0, 16) == "Content-Length: ") {
        length = 0;
        for (char c : line.substr(16))
          length = length * 10 + static_cast<std::size_t>(c - '0');
      }
      head.remove_prefix(eol + 2);
    }
    out.remove_prefix(head_end + 4);
    // After HEAD the next response (if any) follows the header directly.
    if (length > 0 && (out.empty() || out.substr(0, 7) == "HTTP/1.")) {
      if (!bodies_may_be_omitted)
        std::abort();
      continue;
    }
    if (out.size() < length)
      std::abort();
    out.remove_prefix(length);
  }
}

// The server's hot path answers a plain hello with serialize_hello instead of
// handle_request + serialize: for the first request of the input, both must
// give the same bytes and the same keep-alive decision.
void check_hello_shortcut(std::string_view raw, const poolbench::server::request_limits& limits) {
  namespace server = poolbench::server;
  server::request_parser parser;
  server::apply_limits(parser, limits);
  boost::system::error_code ec;
  (void)server::feed_parser(parser, raw, ec);
  if (!parser.is_done())
    return;
  std::string fast;
  const auto keep_alive = server::serialize_hello(parser.get(), limits, fast);
  if (!keep_alive)
    return;
  const auto handled = server::handle_request(parser.get(), limits);
  std::string slow;
  server::serialize(handled.res, slow);
  if (fast != slow || *keep_alive != handled.res.keep_alive() || handled.delay.count() != 0)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  poolbench::server::request_limits limits;
  limits.max_target_bytes = 256;  // small limits reach the limit paths with small inputs
  limits.max_header_bytes = 512;
  limits.max_body_bytes = 64;
  check_responses(poolbench::server::respond_to_bytes(raw, limits), mentions_head(raw));
  check_hello_shortcut(raw, limits);
  return 0;
}
