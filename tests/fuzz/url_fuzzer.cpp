// libFuzzer target: URL parsing, request-target building and percent
// encoding/decoding. Parsing may reject input (an exception) but never crash;
// whatever parses must print and re-parse to the same URL, and encoding must
// round-trip.

#include <poolbench/http/percent_encoding.hpp>
#include <poolbench/http/url.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace http = poolbench::http;

  if (http::percent_decode(http::percent_encode(text)) != text)
    std::abort();
  (void)http::percent_decode(text);  // malformed escapes give nullopt, nothing worse

  try {
    const auto u = http::url::parse(text);
    const auto again = http::url::parse(u.to_string());
    if (again.host != u.host || again.port != u.port || again.path != u.path ||
        again.query != u.query) {
      std::abort();
    }
    const auto target = u.hello_target(text, size);
    if (target.empty() || target.front() != '/')
      std::abort();
  } catch (const std::invalid_argument&) {
    // rejected with a clear message: fine
  }
  return 0;
}
