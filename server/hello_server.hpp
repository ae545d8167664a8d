#pragma once
// poolbench-server's engine: one io_context run by N threads, an acceptor
// coroutine, and one coroutine per connection (see connection.cpp).

#include "server_options.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <functional>
#include <memory>

namespace poolbench::server {

class connection_registry;

class hello_server {
 public:
  // Binds and listens at once, so a port in use fails here, before any
  // "listening on" line is printed. Throws std::system_error.
  explicit hello_server(server_options options);
  ~hello_server();
  hello_server(const hello_server&) = delete;
  hello_server& operator=(const hello_server&) = delete;

  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;

  // Serves until stop() or, when `handle_signals`, SIGINT/SIGTERM. Returns
  // after in-flight responses finished or the shutdown grace ran out.
  // `on_ready` runs once the signals are handled, just before serving: a
  // "listening on" line printed there promises that a SIGTERM right after it
  // is a graceful stop, not death by the default action.
  void run(bool handle_signals, const std::function<void()>& on_ready = {});

  // Stops accepting, closes idle connections and lets busy ones finish.
  // Thread-safe; may be called before or during run().
  void stop();

 private:
  void begin_shutdown();

  server_options options_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<connection_registry> registry_;
  std::atomic<bool> stopping_{false};
};

}  // namespace poolbench::server
