#include <poolbench/http/simple_response.hpp>

namespace poolbench::http {
namespace {

// RFC 9110 tchar: the bytes of a field name.
constexpr bool is_token_char(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
    return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// Printable ASCII, space and tab: the bytes this fast path accepts in a
// reason phrase or a field value (obs-text and controls go to Beast).
constexpr bool is_plain_text(unsigned char c) {
  return c == '\t' || (c >= 0x20 && c < 0x7f);
}

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// `name` equals the lower-case `lower`, ignoring ASCII case.
bool name_is(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size())
    return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c >= 'A' && c <= 'Z')
      c = static_cast<unsigned char>(c - 'A' + 'a');
    if (c != static_cast<unsigned char>(lower[i]))
      return false;
  }
  return true;
}

constexpr std::size_t declined = 0;

}  // namespace

std::size_t parse_simple_response(std::string_view data, std::uint64_t max_body_bytes,
                                  simple_response& out) {
  constexpr std::string_view version = "HTTP/1.1 ";
  // The status line's fixed part: version, three digits, a space.
  if (data.size() < version.size() + 4 || data.substr(0, version.size()) != version)
    return declined;
  const char* p = data.data() + version.size();
  const char* const end = data.data() + data.size();
  if (!is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) || p[3] != ' ')
    return declined;
  const unsigned status =
      static_cast<unsigned>((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
  // 1xx, 204 and 304 carry no body whatever their headers say.
  if (status < 200 || status == 204 || status == 304)
    return declined;
  p += 4;
  while (p < end && is_plain_text(static_cast<unsigned char>(*p)))
    ++p;
  if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
    return declined;
  p += 2;

  bool have_length = false;
  std::uint64_t length = 0;
  bool close = false;
  bool have_connection = false;
  for (;;) {
    if (end - p < 2)
      return declined;
    if (p[0] == '\r') {
      if (p[1] != '\n')
        return declined;
      p += 2;
      break;
    }
    const char* const name_begin = p;
    while (p < end && is_token_char(static_cast<unsigned char>(*p)))
      ++p;
    if (p == end || *p != ':' || p == name_begin)
      return declined;
    const std::string_view name(name_begin, static_cast<std::size_t>(p - name_begin));
    ++p;
    while (p < end && (*p == ' ' || *p == '\t'))
      ++p;
    const char* const value_begin = p;
    while (p < end && is_plain_text(static_cast<unsigned char>(*p)))
      ++p;
    if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
      return declined;
    const char* value_end = p;
    while (value_end > value_begin && (value_end[-1] == ' ' || value_end[-1] == '\t'))
      --value_end;
    p += 2;
    // A line folded onto the next (obs-fold) continues this value: Beast's.
    if (p < end && (*p == ' ' || *p == '\t'))
      return declined;
    if (static_cast<std::size_t>(p - data.data()) > simple_header_limit)
      return declined;
    const std::string_view value(value_begin, static_cast<std::size_t>(value_end - value_begin));
    if (name_is(name, "content-length")) {
      // One plain decimal, short enough not to overflow; a second one, a
      // list or anything else is Beast's to judge.
      if (have_length || value.empty() || value.size() > 18)
        return declined;
      for (const char c : value) {
        if (!is_digit(c))
          return declined;
        length = length * 10 + static_cast<std::uint64_t>(c - '0');
      }
      have_length = true;
    } else if (name_is(name, "connection")) {
      if (have_connection)
        return declined;
      have_connection = true;
      if (name_is(value, "close")) {
        close = true;
      } else if (!name_is(value, "keep-alive")) {
        return declined;  // a token list, "upgrade", ...
      }
    } else if (name_is(name, "transfer-encoding") || name_is(name, "proxy-connection") ||
               name_is(name, "upgrade")) {
      return declined;  // framing or connection semantics Beast decides
    }
  }
  if (!have_length || length > max_body_bytes)
    return declined;
  const auto header_size = static_cast<std::size_t>(p - data.data());
  if (length > data.size() - header_size)
    return declined;  // not all here yet: Beast reads the rest
  out.status = status;
  out.body.assign(p, static_cast<std::size_t>(length));
  out.keep_alive = !close;
  return header_size + static_cast<std::size_t>(length);
}

}  // namespace poolbench::http
