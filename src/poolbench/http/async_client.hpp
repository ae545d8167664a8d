#pragma once
// A coroutine HTTP/1.1 client (Beast + co_await) for the async pool. One
// request at a time per client: give each concurrent task its own.

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/response.hpp>
#include <poolbench/http/url.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace poolbench::http {

class async_client {
 public:
  // Sockets are created on `executor`; names are resolved on first use.
  async_client(boost::asio::any_io_executor executor, url server, client_options options = {});
  ~async_client();
  async_client(async_client&&) noexcept;
  async_client& operator=(async_client&&) noexcept;

  // GET the server URL's path with <name> (at its "{name}", else after it)
  // and ?delay_ms=N, and check the answer (client_options::expect; by default
  // 200 "Hello, <name>"). A 429 or 503 is retried (client_options::retry).
  // Returns the body; throws request_error naming the request otherwise.
  [[nodiscard]] boost::asio::awaitable<std::string> get_hello(std::string name,
                                                              std::uint64_t delay_ms = 0);

  // GET an origin-form target, unchecked.
  [[nodiscard]] boost::asio::awaitable<response> get(std::string target);

  [[nodiscard]] const url& server() const noexcept;
  [[nodiscard]] std::size_t connections_opened() const noexcept;
  // Answers the last get_hello took: 1, plus one per 429 or 503 retried.
  [[nodiscard]] unsigned last_attempts() const noexcept;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;  // shared: its deadline handler holds a weak reference
};

}  // namespace poolbench::http
