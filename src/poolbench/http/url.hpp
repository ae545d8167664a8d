#pragma once
// An `http://host[:port][/path][?query]` URL: where poolbench sends its
// requests. Only plain HTTP; hosts are names, IPv4 literals or bracketed IPv6
// literals (`[::1]`).

#include <cstdint>
#include <string>
#include <string_view>

namespace poolbench::http {

struct url {
  std::string host;         // without brackets: "127.0.0.1", "::1", "localhost"
  std::uint16_t port = 80;  // 80 when the URL names none
  std::string path = "/";   // always starts with '/'
  std::string query;        // without the '?'; may be empty

  // Throws std::invalid_argument("invalid URL '<text>': <reason>").
  [[nodiscard]] static url parse(std::string_view text);

  [[nodiscard]] bool is_ipv6_literal() const;
  // "host:port" as the Host header and messages want it ("[::1]:8080").
  [[nodiscard]] std::string authority() const;
  // The canonical text, e.g. "http://127.0.0.1:8080/".
  [[nodiscard]] std::string to_string() const;
  // The origin-form request target that asks for `name` after `delay_ms`,
  // keeping `query`. `name` is percent-encoded as one path segment, put at
  // the "{name}" in `path` when it has one (poolbench --path), else
  // appended to `path` after a '/'.
  [[nodiscard]] std::string hello_target(std::string_view name, std::uint64_t delay_ms) const;

  // This URL with `path_template` ("/api/v1/users/{name}") as its path.
  // Throws std::invalid_argument("--path '<text>': <reason>") unless it
  // starts with '/', holds "{name}" once, and is a printable path without
  // a query.
  [[nodiscard]] url with_path_template(std::string_view path_template) const;

  static constexpr std::string_view name_placeholder = "{name}";
};

}  // namespace poolbench::http
