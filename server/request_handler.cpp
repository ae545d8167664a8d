#include "request_handler.hpp"

#include <poolbench/http/percent_encoding.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <string>

namespace poolbench::server {
namespace {

constexpr std::string_view server_name = "poolbench-server";
constexpr std::string_view content_type = "text/plain; charset=utf-8";

void set_common_headers(response& res) {
  res.set(http::field::server, server_name);
  res.set(http::field::content_type, content_type);
  res.set("X-Content-Type-Options", "nosniff");
}

// Bytes of the header block after the request line, as sent on the wire.
std::size_t header_block_bytes(const request& req) {
  std::size_t bytes = 0;
  for (const auto& field : req)
    bytes += field.name_string().size() + field.value().size() + 4;
  return bytes;
}

// Parses the value of delay_ms or delay_us (`unit` in µs): decimal digits
// only, at most limits.max_delay_ms.
bool parse_delay(std::string_view key, std::string_view value, std::uint64_t unit_us,
                 const request_limits& limits, std::chrono::microseconds& delay,
                 std::string& error) {
  std::uint64_t n = 0;
  const auto* first = value.data();
  const auto* last = value.data() + value.size();
  const auto [end, ec] = std::from_chars(first, last, n);
  if (value.empty() || ec != std::errc{} || end != last) {
    error = std::string(key) + (unit_us == 1 ? " must be a whole number of microseconds"
                                             : " must be a whole number of milliseconds");
    return false;
  }
  constexpr std::uint64_t ceiling = std::numeric_limits<std::int64_t>::max() / 1000;
  const std::uint64_t max_us = std::min(limits.max_delay_ms, ceiling) * 1000;
  if (n > max_us / unit_us) {
    error = std::string(key) + " must be at most " + std::to_string(max_us / unit_us);
    return false;
  }
  delay = std::chrono::microseconds(n * unit_us);
  return true;
}

// The fixed part of a plain 200 hello, up to its Content-Length value: the
// fields in the order handle_request sets them. The status line says
// HTTP/1.0 only for 1.0, and Beast's keep_alive(bool) writes a Connection
// field only where the version's default differs: six texts, made once.
std::string hello_head(bool http_10, std::string_view connection_field) {
  std::string text = http_10 ? "HTTP/1.0 200 OK\r\n" : "HTTP/1.1 200 OK\r\n";
  text += "Server: ";
  text += server_name;
  text += "\r\nContent-Type: ";
  text += content_type;
  text += "\r\nX-Content-Type-Options: nosniff\r\n";
  text += connection_field;
  text += "Content-Length: ";
  return text;
}

const std::string& hello_head_for(unsigned version, bool keep_alive) {
  constexpr std::string_view keep_alive_field = "Connection: keep-alive\r\n";
  constexpr std::string_view close_field = "Connection: close\r\n";
  static const std::array<std::string, 6> heads = {
      hello_head(true, ""),  hello_head(true, keep_alive_field),  hello_head(true, close_field),
      hello_head(false, ""), hello_head(false, keep_alive_field), hello_head(false, close_field)};
  std::size_t field = 0;
  if (version < 11 && keep_alive)
    field = 1;
  if (version >= 11 && !keep_alive)
    field = 2;
  return heads[(version == 10 ? 0 : 3) + field];
}

}  // namespace

std::optional<hello_target> parse_target(std::string_view target, const request_limits& limits,
                                         std::string& error) {
  if (target.empty() || target.front() != '/') {
    error = "request target must start with '/'";
    return std::nullopt;
  }
  const auto question = target.find('?');
  const auto path =
      target.substr(1, question == std::string_view::npos ? target.npos : question - 1);
  hello_target result;
  auto name = poolbench::http::percent_decode(path);
  if (!name) {
    error = "invalid percent-encoding in name";
    return std::nullopt;
  }
  result.name = std::move(*name);

  if (question == std::string_view::npos)
    return result;
  std::string_view seen_delay;
  auto query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    const auto key = pair.substr(0, eq);
    if (key != "delay_ms" && key != "delay_us")
      continue;  // other parameters are ignored
    if (!seen_delay.empty()) {
      error = key == seen_delay ? std::string(key) + " given twice"
                                : "give delay_ms or delay_us, not both";
      return std::nullopt;
    }
    seen_delay = key;
    const auto value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    if (!parse_delay(key, value, key == "delay_us" ? 1 : 1000, limits, result.delay, error))
      return std::nullopt;
    result.delay_named = true;
  }
  return result;
}

response error_response(http::status status, std::string_view reason, unsigned version,
                        bool keep_alive) {
  response res{status, version};
  set_common_headers(res);
  res.body() = std::string(reason) + "\n";
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

handled_request handle_request(const request& req, const request_limits& limits) {
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = error_response(http::status::method_not_allowed, "only GET and HEAD are allowed",
                              version, keep_alive);
    res.set(http::field::allow, "GET, HEAD");
    return {std::move(res), {}};
  }
  if (req.target().size() > limits.max_target_bytes) {
    return {error_response(http::status::uri_too_long, "request target too long", version, false),
            {}};
  }
  if (header_block_bytes(req) > limits.max_header_bytes) {
    return {error_response(http::status::request_header_fields_too_large,
                           "request header fields too large", version, false),
            {}};
  }
  std::string error;
  auto target = parse_target(req.target(), limits, error);
  if (!target) {
    return {error_response(http::status::bad_request, error, version, keep_alive), {}};
  }

  response res{http::status::ok, version};
  set_common_headers(res);
  res.keep_alive(keep_alive);
  std::string body = "Hello, " + target->name;
  if (req.method() == http::verb::head) {
    res.content_length(body.size());  // the GET length, and no body
  } else {
    res.body() = std::move(body);
    res.prepare_payload();
  }
  return {std::move(res), target->delay, target->delay_named};
}

response limit_response(http::status status, std::int64_t retry_after_s, unsigned version,
                        bool keep_alive) {
  auto res =
      error_response(status,
                     status == http::status::too_many_requests ? "rate limit exceeded"
                                                               : "too many requests in flight",
                     version, keep_alive);
  res.set(http::field::retry_after, std::to_string(retry_after_s));
  return res;
}

std::optional<bool> serialize_hello(const request& req, const request_limits& limits,
                                    std::string& out) {
  if (req.method() != http::verb::get || req.target().size() > limits.max_target_bytes ||
      header_block_bytes(req) > limits.max_header_bytes)
    return std::nullopt;
  std::string error;
  const auto target = parse_target(req.target(), limits, error);
  if (!target || target->delay.count() > 0)
    return std::nullopt;
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  const auto& head = hello_head_for(version, keep_alive);
  std::array<char, 24> length{};
  constexpr std::string_view greeting = "Hello, ";
  const auto length_end = std::to_chars(length.data(), length.data() + length.size(),
                                        greeting.size() + target->name.size())
                              .ptr;
  constexpr std::string_view between = "\r\n\r\nHello, ";  // the header's end, the greeting
  static_assert(between.ends_with(greeting));
  out.assign(head);
  out.append(length.data(), length_end);
  out += between;
  out += target->name;
  return keep_alive;
}

void apply_limits(request_parser& parser, const request_limits& limits) {
  // The parser's one header limit covers the request line and the fields;
  // handle_request then tells 414 from 431 by the parts' sizes.
  parser.header_limit(
      static_cast<std::uint32_t>(limits.max_target_bytes + limits.max_header_bytes + 1024));
  parser.body_limit(limits.max_body_bytes);
}

std::size_t feed_parser(request_parser& parser, std::string_view bytes,
                        boost::system::error_code& ec) {
  parser.eager(true);
  std::size_t consumed = 0;
  ec = {};
  while (!parser.is_done()) {
    if (consumed == bytes.size()) {
      ec = http::error::need_more;
      break;
    }
    const auto used =
        parser.put(boost::asio::buffer(bytes.data() + consumed, bytes.size() - consumed), ec);
    consumed += used;
    if (ec == http::error::need_more && used > 0)
      ec = {};  // progress: feed the rest
    if (ec)
      break;
  }
  return consumed;
}

std::optional<response> read_error_response(const boost::system::error_code& ec,
                                            const request_parser& parser) {
  if (ec == http::error::header_limit) {
    // Beast consumes the request line before the fields, and only then does
    // the message have a target: no target means the line itself was too long.
    const auto status = parser.get().target().empty()
                            ? http::status::uri_too_long
                            : http::status::request_header_fields_too_large;
    return error_response(status, "request header too large", 11, false);
  }
  if (ec == http::error::body_limit) {
    return error_response(http::status::payload_too_large, "request body too large", 11, false);
  }
  const bool parse_error =
      ec.category() == http::make_error_code(http::error::bad_target).category();
  if (parse_error && ec != http::error::end_of_stream && ec != http::error::partial_message &&
      ec != http::error::need_more) {
    return error_response(http::status::bad_request, "malformed request", 11, false);
  }
  return std::nullopt;
}

std::string respond_to_bytes(std::string_view raw, const request_limits& limits) {
  std::string out, piece;
  while (!raw.empty()) {
    request_parser parser;
    apply_limits(parser, limits);
    boost::system::error_code ec;
    raw.remove_prefix(feed_parser(parser, raw, ec));
    if (!parser.is_done()) {
      if (auto res = read_error_response(ec, parser)) {
        serialize(*res, piece);
        out += piece;
      }
      break;  // an error closes the connection; incomplete input awaits more
    }
    auto handled = handle_request(parser.get(), limits);
    serialize(handled.res, piece);
    out += piece;
    if (!handled.res.keep_alive())
      break;
  }
  return out;
}

void serialize(const response& res, std::string& out) {
  out.clear();
  out += res.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(res.result_int());
  out += ' ';
  out += res.reason();
  out += "\r\n";
  for (const auto& field : res) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += "\r\n";
  out += res.body();
}

}  // namespace poolbench::server
