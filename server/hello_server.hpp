#pragma once
// poolbench-server's engine: io_contexts with an acceptor coroutine each,
// and one coroutine per connection (see connection.cpp). With io_model::shared
// one io_context is run by every thread; with io_model::reuseport each thread
// runs its own io_context and acceptor, all bound to one port (SO_REUSEPORT).

#include "server_options.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace poolbench::server {

class backend_model;
class connection_registry;

class hello_server {
 public:
  // Binds and listens at once (every acceptor), so a port in use fails here,
  // before any "listening on" line is printed. Throws std::system_error.
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
  // An io_context with its acceptor: one for io_model::shared, one per
  // thread for io_model::reuseport.
  struct io_unit {
    explicit io_unit(int concurrency_hint) : ioc(concurrency_hint), acceptor(ioc) {}
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor;
  };

  void begin_shutdown();
  [[nodiscard]] std::size_t threads_per_unit() const;

  server_options options_;
  // Before units_: queued requests release their slots when the io_contexts
  // destroy their coroutines.
  std::unique_ptr<backend_model> model_;  // nullptr: every model off
  // Accept loops not yet returned. Shutdown waits for them before it stops
  // the io_contexts, so that no accept loop's frame (holding its strand) is
  // left for an io_context's destructor: Asio's io_uring backend destroys
  // such frames after the strand service they refer to. Before units_, so
  // it outlives every frame.
  std::atomic<std::size_t> accept_loops_{0};
  std::vector<std::unique_ptr<io_unit>> units_;  // units_[0] handles signals and shutdown
  std::shared_ptr<connection_registry> registry_;
  std::atomic<bool> stopping_{false};
};

}  // namespace poolbench::server
