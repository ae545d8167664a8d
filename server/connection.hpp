#pragma once
// One client connection: reads requests with timeouts and size limits,
// answers them in order (so pipelining works), and closes cleanly.

#include "server_options.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace poolbench::server {

namespace http = boost::beast::http;

class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(boost::asio::ip::tcp::socket socket, const server_options& options,
             const std::atomic<bool>& stopping);

  // The connection's whole life. Runs on the socket's strand.
  boost::asio::awaitable<void> serve();

  // Called on shutdown: closes the connection now if it waits for a request;
  // a connection busy with one closes after answering it.
  void close_if_idle();

  [[nodiscard]] boost::asio::any_io_executor executor();

 private:
  boost::asio::awaitable<void> write_and_close(http::response<http::string_body> res);
  boost::asio::awaitable<void> close_gracefully();

  boost::beast::tcp_stream stream_;
  const server_options& options_;
  const std::atomic<bool>& stopping_;
  bool idle_ = false;  // only touched on the connection's strand
};

// The live connections, so shutdown can reach the idle ones.
class connection_registry {
 public:
  std::uint64_t add(const std::shared_ptr<connection>& conn);
  void remove(std::uint64_t id);
  [[nodiscard]] std::size_t size() const;
  // Posts close_if_idle() to each live connection's strand.
  void close_idle_connections();

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> connections_;
};

}  // namespace poolbench::server
