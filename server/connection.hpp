#pragma once
// One client connection: reads requests with timeouts and size limits,
// answers them in order (so pipelining works), and closes cleanly.

#include "request_handler.hpp"
#include "server_options.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace poolbench::server {

namespace http = boost::beast::http;

class backend_model;

class connection : public std::enable_shared_from_this<connection> {
 public:
  // `model`: the backend models shared by every connection, or nullptr when
  // they are all off (then nothing is counted and the hot path is today's).
  connection(boost::asio::ip::tcp::socket socket, const server_options& options,
             const std::atomic<bool>& stopping, backend_model* model);

  // The connection's whole life. Runs on the socket's strand.
  boost::asio::awaitable<void> serve();

  // Called on shutdown: closes the connection now if it waits for a request;
  // a connection busy with one closes after answering it.
  void close_if_idle();

  [[nodiscard]] boost::asio::any_io_executor executor();

  // Runs `callback` once, when the connection starts closing: before it
  // writes the answer that ends it, or when it stops reading. A closing
  // connection takes no more requests, so --max-connections must not count
  // it: its client may already be connecting again.
  void on_closing(std::function<void()> callback) { on_closing_ = std::move(callback); }

 private:
  using clock = std::chrono::steady_clock;

  boost::asio::awaitable<void> serve_requests();
  // Answers one request through the backend models: the stats endpoint, the
  // rate limit, the in-flight limit, the delays. False: the connection ended.
  boost::asio::awaitable<bool> answer_modelled(const request& req);
  // What a connection does after writing an answer.
  enum class after_answer { next_request, close, end };
  // Writes `res` (saying "close" while stopping).
  boost::asio::awaitable<after_answer> answer(response& res);
  // Closes gracefully if asked; true when the next request may be read.
  boost::asio::awaitable<bool> finish(after_answer next);
  // Closes the socket once `deadline_` passes. Moving the deadline is a plain
  // assignment, so the hot path arms no timer per request.
  boost::asio::awaitable<void> watchdog();
  boost::asio::awaitable<bool> write(const http::response<http::string_body>& res);
  // Sends the answers in `out_` (the one just serialized, or a batch) and
  // empties it: out_ holds exactly the bytes not yet sent.
  boost::asio::awaitable<bool> write_out();
  // The synchronous start of write_out: one send that does not wait. Usually
  // the socket takes a small answer whole, and then no asynchronous write
  // (its operation, its trip through the scheduler, a coroutine frame) is
  // needed at all; otherwise write_rest() sends what is left.
  enum class send_result { done, partial, failed };
  send_result send_now();
  boost::asio::awaitable<bool> write_rest();
  // Before the connection's second answer: from then on small writes must
  // not wait for Nagle. The first answer never does (nothing unacknowledged
  // precedes it), so a connection that serves one request spares the call.
  void set_no_delay_once();
  boost::asio::awaitable<void> write_and_close(http::response<http::string_body> res);
  boost::asio::awaitable<void> close_gracefully();
  void expire_after(clock::duration timeout) { deadline_ = clock::now() + timeout; }
  // For a deadline that may come before the one the watchdog sleeps towards:
  // wakes it (a timer cancel), so use it only where that is needed.
  void expire_soon_after(std::chrono::milliseconds timeout);
  void mark_closing();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer watchdog_timer_;
  clock::time_point deadline_;
  std::string out_;        // answers not yet sent; its storage reused across requests
  std::string answer_;     // a hello answer on its way to join a batch in out_
  std::size_t sent_ = 0;   // bytes of out_ already sent
  bool no_delay_ = false;  // TCP_NODELAY set
  const server_options& options_;
  const std::atomic<bool>& stopping_;
  backend_model* const model_;
  // Only touched on the connection's strand.
  bool idle_ = false;
  bool done_ = false;
  std::function<void()> on_closing_;
};

// The live connections, so shutdown can reach the idle ones, and how many of
// them are open (not closing), which --max-connections limits.
class connection_registry {
 public:
  std::uint64_t add(const std::shared_ptr<connection>& conn);
  // The connection closes: it no longer counts as open. Idempotent.
  void mark_closing(std::uint64_t id);
  void remove(std::uint64_t id);
  // Every connection still alive, closing ones included (shutdown waits for them).
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t open_count() const;
  // Posts close_if_idle() to each live connection's strand.
  void close_idle_connections();

 private:
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 0;
  struct entry {
    std::weak_ptr<connection> conn;
    bool open = true;
  };
  std::unordered_map<std::uint64_t, entry> connections_;
  std::size_t open_ = 0;
};

}  // namespace poolbench::server
