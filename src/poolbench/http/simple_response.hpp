#pragma once
// A fast path in front of Beast's response parser for the answer a
// keep-alive client sees almost every time: one complete HTTP/1.1 message
// with a Content-Length body, already in the buffer. Beast's basic_parser
// spent about 2,000 instructions on each such answer (field lookup by hash,
// token lists, virtual callbacks), a large share of the instrument's own CPU
// per request (results/PERFORMANCE.md). This parser accepts only what it can
// decide exactly as Beast would; for anything else (chunked, no length,
// HTTP/1.0, 1xx/204/304, Connection lists, folded or unusual bytes, an
// incomplete message, a body above the limit) it declines without consuming
// anything, and the caller hands the same bytes to Beast, which then parses
// or reports the error as before.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace poolbench::http {

struct simple_response {
  unsigned status = 0;
  std::string body;
  bool keep_alive = true;
  std::optional<std::uint32_t> retry_after_s;  // Retry-After, delta-seconds form only
};

// The largest header this fast path takes: well below Beast's header_limit
// (16 KiB, detail::limit_parser), so that a header near that limit is left
// to Beast, whatever the limit's exact off-by-some.
inline constexpr std::size_t simple_header_limit = 8 * 1024;

// Parses one whole response at the start of `data` into `out`. Returns the
// bytes it used (header and body), or 0 when it declines: `out` is then
// unspecified and the caller falls back to Beast on the same bytes.
[[nodiscard]] std::size_t parse_simple_response(std::string_view data, std::uint64_t max_body_bytes,
                                                simple_response& out);

}  // namespace poolbench::http
