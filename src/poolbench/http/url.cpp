#include <poolbench/http/percent_encoding.hpp>
#include <poolbench/http/url.hpp>

#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <stdexcept>

namespace poolbench::http {
namespace {

[[noreturn]] void fail(std::string_view text, std::string_view reason) {
  throw std::invalid_argument("invalid URL '" + std::string(text) + "': " + std::string(reason));
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

// Bytes a request target may carry unescaped; anything else (spaces, control
// bytes, '#') would make a malformed request line, so it is refused here.
bool is_target_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7F && c != '#';
}

}  // namespace

url url::parse(std::string_view text) {
  constexpr std::string_view scheme = "http://";
  if (text.size() < scheme.size() || text.substr(0, scheme.size()) != scheme) {
    fail(text, text.find("://") != std::string_view::npos ? "only http:// is supported"
                                                          : "expected http://host[:port][/path]");
  }
  url u;
  std::string_view rest = text.substr(scheme.size());
  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view after =
      authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos)
    fail(text, "user info is not supported");

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      fail(text, "unterminated '[' in host");
    u.host = std::string(authority.substr(1, close - 1));
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(u.host, ec);
    if (ec || !address.is_v6())
      fail(text, "'[" + u.host + "]' is not an IPv6 address");
    const auto tail = authority.substr(close + 1);
    if (!tail.empty()) {
      if (tail.front() != ':')
        fail(text, "unexpected text after ']'");
      port_text = tail.substr(1);
      if (port_text.empty())
        fail(text, "empty port");
    }
  } else {
    const auto colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty())
        fail(text, "empty port");
    }
    for (char c : u.host) {
      if (!is_name_char(c))
        fail(text, "invalid character in host");
    }
  }
  if (u.host.empty())
    fail(text, "missing host");

  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      fail(text, "port must be a number from 1 to 65535");
    }
    u.port = static_cast<std::uint16_t>(value);
  }

  const auto hash = after.find('#');
  if (hash != std::string_view::npos)
    after = after.substr(0, hash);  // fragments never go on the wire
  const auto question = after.find('?');
  std::string_view path = after.substr(0, question);
  if (question != std::string_view::npos)
    u.query = std::string(after.substr(question + 1));
  u.path = path.empty() ? "/" : std::string(path);
  for (char c : u.path + u.query) {
    if (!is_target_char(c))
      fail(text, "path and query must be printable ASCII without spaces");
  }
  return u;
}

url url::with_path_template(std::string_view path_template) const {
  const auto fail_template = [&](std::string_view reason) {
    throw std::invalid_argument("--path '" + std::string(path_template) +
                                "': " + std::string(reason));
  };
  if (path_template.empty() || path_template.front() != '/')
    fail_template("must start with '/'");
  const auto slot = path_template.find(name_placeholder);
  if (slot == std::string_view::npos)
    fail_template("must contain {name}, where each request's name goes");
  if (path_template.find(name_placeholder, slot + 1) != std::string_view::npos)
    fail_template("must contain {name} once");
  if (path_template.find_first_of("?#") != std::string_view::npos)
    fail_template("is a path: give a query in --url");
  for (char c : path_template) {
    if (!is_target_char(c))
      fail_template("must be printable ASCII without spaces");
  }
  url out = *this;
  out.path = std::string(path_template);
  return out;
}

bool url::is_ipv6_literal() const {
  return host.find(':') != std::string::npos;
}

std::string url::authority() const {
  std::string out;
  if (is_ipv6_literal()) {
    out.append("[").append(host).append("]");
  } else {
    out.append(host);
  }
  out.append(":").append(std::to_string(port));
  return out;
}

std::string url::to_string() const {
  std::string out = "http://";
  out.append(authority()).append(path);
  if (!query.empty())
    out.append("?").append(query);
  return out;
}

std::string url::hello_target(std::string_view name, std::uint64_t delay_ms) const {
  // Built in place, once per request: no temporaries for the encoded name
  // or the query (a short target stays in the string's own buffer).
  std::string target;
  if (const auto slot = path.find(name_placeholder); slot != std::string::npos) {
    target.reserve(path.size() + name.size());
    target.append(path, 0, slot);
    append_percent_encoded(target, name);
    target.append(path, slot + name_placeholder.size());
  } else {
    target = path;
    if (target.back() != '/')
      target.push_back('/');
    append_percent_encoded(target, name);
  }
  if (!query.empty() || delay_ms > 0)
    target.push_back('?');
  target.append(query);
  if (delay_ms > 0) {
    if (!query.empty())
      target.push_back('&');
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, delay_ms).ptr;
    target.append("delay_ms=").append(digits, end);
  }
  return target;
}

}  // namespace poolbench::http
