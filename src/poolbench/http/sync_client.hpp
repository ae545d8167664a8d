#pragma once
// A blocking HTTP/1.1 client (Beast over a plain socket) for thread and
// process workers: one request at a time, so give each worker its own.

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/response.hpp>
#include <poolbench/http/url.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace poolbench::http {

class sync_client {
 public:
  // Resolves `server` on first use, not here, so construction never blocks.
  explicit sync_client(url server, client_options options = {});
  ~sync_client();
  sync_client(sync_client&&) noexcept;
  sync_client& operator=(sync_client&&) noexcept;

  // GET the server URL's path with <name> (at its "{name}", else after it)
  // and ?delay_ms=N, and check the answer (client_options::expect; by default
  // 200 "Hello, <name>"). A 429 or 503 is retried (client_options::retry).
  // Returns the body; throws request_error naming the request otherwise.
  [[nodiscard]] std::string get_hello(std::string_view name, std::uint64_t delay_ms = 0);

  // GET an origin-form target ("/x?y"), unchecked. Throws request_error on
  // connect, timeout or protocol failures.
  [[nodiscard]] response get(const std::string& target);

  [[nodiscard]] const url& server() const noexcept;
  // TCP connections opened so far: tells keep-alive reuse from reconnection.
  [[nodiscard]] std::size_t connections_opened() const noexcept;
  // Answers the last get_hello took: 1, plus one per 429 or 503 retried.
  [[nodiscard]] unsigned last_attempts() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace poolbench::http
