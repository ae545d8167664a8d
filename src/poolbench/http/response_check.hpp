#pragma once
// The check every hello request gets: status 200 and exactly "Hello, <name>".

#include <string>
#include <string_view>

namespace poolbench::http {

// "Hello, <name>": what poolbench-server (and the article's tornado server) answer.
[[nodiscard]] std::string expected_body(std::string_view name);

// True if `status` is 200 and `body` is expected_body(name); allocates
// nothing, so the per-request check costs no URL or string building.
[[nodiscard]] bool is_hello_response(std::string_view name, unsigned status,
                                     std::string_view body) noexcept;

// Throws wrong_answer (a request_error of kind::bad_response) naming `request_url` unless
// `status` is 200 and `body` is expected_body(name).
void check_hello_response(const std::string& request_url, std::string_view name, unsigned status,
                          std::string_view body);

// `text` shortened to `max` bytes and with control bytes escaped, for messages.
[[nodiscard]] std::string printable_excerpt(std::string_view text, std::size_t max = 60);

}  // namespace poolbench::http
