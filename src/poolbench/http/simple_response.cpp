#include <poolbench/http/retry_policy.hpp>
#include <poolbench/http/simple_response.hpp>

#include <bit>
#include <cstring>

namespace poolbench::http {
namespace {

// Byte classes as tables: one load per byte in the scanning loops, where a
// chain of comparisons per byte cost about as much as Beast's parser.
struct byte_classes {
  bool token[256] = {};  // RFC 9110 tchar: the bytes of a field name
  // Printable ASCII, space and tab: the bytes this fast path accepts in a
  // reason phrase or a field value (obs-text and controls go to Beast).
  bool text[256] = {};
};

constexpr byte_classes make_byte_classes() {
  byte_classes classes;
  for (int c = 0x21; c < 0x7f; ++c) {
    classes.text[c] = true;
    classes.token[c] = true;
  }
  classes.text[0x20] = true;  // space
  classes.text[0x09] = true;  // tab
  for (const char c : std::string_view("\"(),/:;<=>?@[\\]{}"))
    classes.token[static_cast<unsigned char>(c)] = false;
  return classes;
}

constexpr byte_classes classes = make_byte_classes();

constexpr bool is_token_char(char c) {
  return classes.token[static_cast<unsigned char>(c)];
}
constexpr bool is_plain_text(char c) {
  return classes.text[static_cast<unsigned char>(c)];
}

// The first byte at or after `p` that is not plain text (or `end`). Eight
// bytes at a time, the usual case for a whole field value: per byte, a
// value scan cost more than the rest of the parse.
const char* skip_text(const char* p, const char* const end) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  while (end - p >= 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, p, 8);
    // High bit set in a byte below 0x20, or of 0x7f and above. Borrows and
    // carries only run from a flagged byte to later (higher) ones, so the
    // lowest flagged byte is the first that is not plain text.
    const std::uint64_t flagged = ((x - ones * 0x20) & ~x & highs) | (((x + ones) | x) & highs);
    if (flagged == 0) {
      p += 8;
      continue;
    }
    if constexpr (std::endian::native == std::endian::little) {
      p += std::countr_zero(flagged) / 8;
      if (*p != '\t')
        return p;
      ++p;  // a tab is text: go on after it
    } else {
      break;
    }
  }
  while (p < end && is_plain_text(*p))
    ++p;
  return p;
}

// The first byte at or after `p` that is not a token character (or `end`),
// four table look-ups per bounds check.
const char* skip_token(const char* p, const char* const end) {
  while (end - p >= 4 && is_token_char(p[0]) && is_token_char(p[1]) && is_token_char(p[2]) &&
         is_token_char(p[3]))
    p += 4;
  while (p < end && is_token_char(*p))
    ++p;
  return p;
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
  p = skip_text(p, end);
  if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
    return declined;
  p += 2;

  bool have_length = false;
  std::uint64_t length = 0;
  bool close = false;
  bool have_connection = false;
  std::optional<std::uint32_t> retry_after_s;
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
    p = skip_token(p, end);
    if (p == end || *p != ':' || p == name_begin)
      return declined;
    const std::string_view name(name_begin, static_cast<std::size_t>(p - name_begin));
    ++p;
    while (p < end && (*p == ' ' || *p == '\t'))
      ++p;
    const char* const value_begin = p;
    p = skip_text(p, end);
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
    } else if (name_is(name, "retry-after")) {
      retry_after_s = parse_retry_after(value);  // a backend with limits (retry_policy.hpp)
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
  out.retry_after_s = retry_after_s;
  return header_size + static_cast<std::size_t>(length);
}

}  // namespace poolbench::http
