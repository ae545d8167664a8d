#include "connection.hpp"

#include "backend_model.hpp"
#include "request_handler.hpp"
#include "use_tuple.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include <array>
#include <tuple>

namespace poolbench::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

// Answers batched for one send at most: a pipelining client's answers leave
// together, but never pile up without bound.
constexpr std::size_t max_batch_bytes = 64 * 1024;

// True if `buffer` holds the whole header of a request (the one the loop
// reads next), so its answer can be made without waiting for the peer.
bool holds_a_header(const beast::flat_buffer& buffer) {
  const std::string_view bytes(static_cast<const char*>(buffer.data().data()), buffer.size());
  return bytes.find("\r\n\r\n") != std::string_view::npos;
}

}  // namespace

connection::connection(tcp::socket socket, const server_options& options,
                       const std::atomic<bool>& stopping, backend_model* model)
    : socket_(std::move(socket)),
      watchdog_timer_(socket_.get_executor()),
      deadline_(clock::now() + options.idle_timeout),
      options_(options),
      stopping_(stopping),
      model_(model) {
  // Writes try a send that does not wait first (send_now), so the socket must
  // not block; asio would switch it to non-blocking at the first asynchronous
  // operation anyway, with the same one call.
  boost::system::error_code ignored;
  socket_.non_blocking(true, ignored);
}

asio::any_io_executor connection::executor() {
  return socket_.get_executor();
}

void connection::close_if_idle() {
  if (idle_) {
    boost::system::error_code ignored;
    socket_.cancel(ignored);
  }
}

void connection::expire_soon_after(std::chrono::milliseconds timeout) {
  expire_after(timeout);
  if (deadline_ < watchdog_timer_.expiry())
    watchdog_timer_.cancel();
}

void connection::mark_closing() {
  if (on_closing_) {
    auto callback = std::move(on_closing_);
    on_closing_ = nullptr;
    callback();
  }
}

asio::awaitable<void> connection::watchdog() {
  const auto self = shared_from_this();
  while (!done_) {
    watchdog_timer_.expires_at(deadline_);
    co_await watchdog_timer_.async_wait(use_tuple);
    if (done_)
      break;
    if (clock::now() >= deadline_) {  // the deadline was not moved: time is up
      boost::system::error_code ignored;
      socket_.close(ignored);
      break;
    }
  }
}

asio::awaitable<bool> connection::write(const http::response<http::string_body>& res) {
  serialize(res, out_);
  co_return co_await write_out();
}

asio::awaitable<bool> connection::write_out() {
  const auto now = send_now();
  if (now == send_result::failed)
    co_return false;
  if (now == send_result::partial) {
    const bool sent = co_await write_rest();
    if (!sent)
      co_return false;
  }
  out_.clear();
  co_return true;
}

connection::send_result connection::send_now() {
  boost::system::error_code ec;
  sent_ = socket_.write_some(asio::buffer(out_), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    sent_ = 0;
    return send_result::partial;
  }
  if (ec)
    return send_result::failed;
  return sent_ == out_.size() ? send_result::done : send_result::partial;
}

asio::awaitable<bool> connection::write_rest() {
  expire_after(options_.idle_timeout);  // a client that stops reading must not pin us
  auto [ec, n] = co_await asio::async_write(
      socket_, asio::buffer(out_.data() + sent_, out_.size() - sent_), use_tuple);
  co_return !ec;
}

void connection::set_no_delay_once() {
  if (!no_delay_) {
    no_delay_ = true;
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
  }
}

// Closes so that the peer still reads our last response: half-close, then
// drain what it is still sending for a moment, or an early close would make
// the kernel answer with a reset that can destroy the response in flight.
asio::awaitable<void> connection::close_gracefully() {
  mark_closing();
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (!ec) {
    // Not zeroed: it only receives what is thrown away, and zeroing 4 kB
    // cost some 600 instructions per closing connection.
    std::array<char, 4096> scratch;
    std::size_t drained = 0;
    expire_soon_after(std::chrono::seconds(1));  // earlier than the idle deadline
    while (drained < 64 * 1024) {
      auto [read_ec, n] = co_await socket_.async_read_some(asio::buffer(scratch), use_tuple);
      if (read_ec)
        break;
      drained += n;
    }
  }
  socket_.close(ec);
}

asio::awaitable<void> connection::write_and_close(http::response<http::string_body> res) {
  res.keep_alive(false);
  mark_closing();
  co_await write(res);
  co_await close_gracefully();
}

asio::awaitable<void> connection::serve() {
  const auto self = shared_from_this();  // the registry only holds weak references
  asio::co_spawn(socket_.get_executor(), watchdog(), asio::detached);
  co_await serve_requests();
  mark_closing();
  done_ = true;
  watchdog_timer_.cancel();
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

asio::awaitable<void> connection::serve_requests() {
  const auto& limits = options_.limits;
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    if (!first)
      set_no_delay_once();
    // Between requests: wait for the next one's first byte, at most idle_timeout.
    if (buffer.size() == 0) {
      // Never reached with answers waiting (a batch waits only on a buffered
      // request); were it, they must not wait for the peer's next request.
      if (!out_.empty()) {
        const bool sent = co_await write_out();
        if (!sent)
          co_return;
      }
      if (stopping_)
        co_return;
      idle_ = true;
      expire_after(options_.idle_timeout);
      auto [ec, n] = co_await socket_.async_read_some(buffer.prepare(4096), use_tuple);
      idle_ = false;
      if (ec)
        co_return;  // closed by peer, idle timeout, or shutdown
      buffer.commit(n);
    }

    // The whole request must arrive within header_timeout of its first byte,
    // which is what cuts off slowloris senders. Usually the header is already
    // complete in the buffer; only when it is not must the watchdog wake early.
    request_parser parser;
    apply_limits(parser, limits);
    const std::string_view received(static_cast<const char*>(buffer.data().data()), buffer.size());
    if (received.find("\r\n\r\n") == std::string_view::npos) {
      expire_soon_after(options_.header_timeout);
    } else {
      expire_after(options_.header_timeout);
    }
    // Usually the whole request is already buffered: parsing it in place spares
    // the composed async_read, whose completion is one more trip through the
    // scheduler per request. Only an incomplete request waits for more bytes.
    boost::system::error_code read_ec;
    buffer.consume(feed_parser(parser, received, read_ec));
    if (read_ec == http::error::need_more) {
      if (!out_.empty()) {  // batched answers leave before waiting for the peer
        const bool sent = co_await write_out();
        if (!sent)
          co_return;
      }
      read_ec = std::get<0>(co_await http::async_read(socket_, buffer, parser, use_tuple));
    }
    if (read_ec) {
      if (!out_.empty()) {
        const bool sent = co_await write_out();
        if (!sent)
          co_return;
      }
      if (auto res = read_error_response(read_ec, parser))
        co_await write_and_close(*res);
      co_return;  // otherwise the peer closed or reset, or the header timeout fired
    }

    if (model_ != nullptr) {
      if (!co_await answer_modelled(parser.get()))
        co_return;
      continue;
    }

    // Most requests are a plain hello: write its bytes directly. While
    // stopping, every answer must say "Connection: close": the general path.
    if (!stopping_) {
      // Answers to requests that arrived together leave together: while the
      // buffer holds the whole header of a next request, a kept-alive hello
      // answer waits in out_ and the next answers join it, up to a bound.
      auto& into = out_.empty() ? out_ : answer_;
      if (const auto keep_alive = serialize_hello(parser.get(), limits, into)) {
        if (&into != &out_)
          out_ += answer_;
        if (*keep_alive && out_.size() < max_batch_bytes && holds_a_header(buffer))
          continue;
        if (!*keep_alive)
          mark_closing();
        // Most answers leave in send_now(); only the rest needs a coroutine.
        const auto now = send_now();
        if (now == send_result::failed)
          co_return;
        if (now == send_result::partial) {
          const bool sent = co_await write_rest();
          if (!sent)
            co_return;
        }
        out_.clear();
        if (!*keep_alive)
          co_return co_await close_gracefully();
        continue;
      }
    }
    // The batched answers leave first: a delayed answer must not hold back
    // the ones before it.
    if (!out_.empty()) {
      const bool sent = co_await write_out();
      if (!sent)
        co_return;
    }
    auto handled = handle_request(parser.get(), limits);
    if (handled.delay.count() > 0) {
      // Hold the answer back on a timer: the thread serves others meanwhile.
      expire_after(handled.delay + options_.idle_timeout);
      asio::steady_timer timer(socket_.get_executor(), handled.delay);
      co_await timer.async_wait(use_tuple);
    }
    if (stopping_)
      handled.res.keep_alive(false);
    if (!handled.res.keep_alive())
      mark_closing();
    if (!co_await write(handled.res))
      co_return;
    if (!handled.res.keep_alive())
      co_return co_await close_gracefully();
  }
}

asio::awaitable<connection::after_answer> connection::answer(response& res) {
  if (stopping_)
    res.keep_alive(false);
  if (!res.keep_alive())
    mark_closing();
  // One co_await per statement, and no conditional co_return: written as
  // `co_return c ? a : b` with the caller's co_await nested in another, GCC 12
  // built code that died with SIGILL here.
  const bool sent = co_await write(res);
  if (!sent)
    co_return after_answer::end;
  if (res.keep_alive())
    co_return after_answer::next_request;
  co_return after_answer::close;
}

asio::awaitable<bool> connection::finish(after_answer next) {
  if (next == after_answer::close)
    co_await close_gracefully();
  co_return next == after_answer::next_request;
}

asio::awaitable<bool> connection::answer_modelled(const request& req) {
  auto& model = *model_;
  if (const auto stats = match_stats_request(req, model.options().stats_path)) {
    // Not counted and never limited: the runner reads it between cases.
    auto res = stats_response(model.stats(stats->reset), req.version(), req.keep_alive());
    const auto next = co_await answer(res);
    co_return co_await finish(next);
  }
  auto handled = handle_request(req, options_.limits);
  if (handled.res.result() != http::status::ok) {
    // Refused by the protocol before the backend sees it: not modelled.
    const auto next = co_await answer(handled.res);
    co_return co_await finish(next);
  }
  auto admission = model.try_admit(socket_.get_executor());
  using outcome = backend_model::admission::outcome;
  if (admission.result == outcome::rate_limited || admission.result == outcome::over_limit) {
    auto res = limit_response(admission.result == outcome::rate_limited
                                  ? http::status::too_many_requests
                                  : http::status::service_unavailable,
                              admission.retry_after_s, req.version(), req.keep_alive());
    const auto next = co_await answer(res);
    co_return co_await finish(next);
  }
  auto extra = admission.extra_delay;
  if (admission.result == outcome::must_wait) {
    // Queued until another request finishes. A wait longer than the idle
    // timeout lets the watchdog close the connection; when its turn comes,
    // the slot is passed on at once.
    expire_after(options_.idle_timeout);
    extra = co_await model.wait_for_slot(std::move(admission.wait));
  }
  backend_slot slot(model);
  if (!socket_.is_open())
    co_return false;
  const auto delay = (handled.delay_named ? handled.delay : model.draw_delay()) + extra;
  if (delay.count() > 0) {
    expire_after(delay + options_.idle_timeout);
    asio::steady_timer timer(socket_.get_executor(), delay);
    co_await timer.async_wait(use_tuple);
  }
  // Free the slot before the answer leaves: a client that sends its next
  // request the moment it reads this answer (a closed loop at exactly the
  // limit) must find the slot free, never a 503 that only the order of two
  // threads decided.
  slot.release();
  const auto next = co_await answer(handled.res);
  co_return co_await finish(next);
}

std::uint64_t connection_registry::add(const std::shared_ptr<connection>& conn) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  connections_.emplace(id, entry{conn, true});
  ++open_;
  return id;
}

void connection_registry::mark_closing(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = connections_.find(id);
  if (it != connections_.end() && it->second.open) {
    it->second.open = false;
    --open_;
  }
}

void connection_registry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  const auto it = connections_.find(id);
  if (it == connections_.end())
    return;
  if (it->second.open)
    --open_;
  connections_.erase(it);
}

std::size_t connection_registry::open_count() const {
  std::lock_guard lock(mutex_);
  return open_;
}

std::size_t connection_registry::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

void connection_registry::close_idle_connections() {
  std::lock_guard lock(mutex_);
  for (const auto& [id, e] : connections_) {
    if (auto conn = e.conn.lock()) {
      asio::post(conn->executor(), [conn] { conn->close_if_idle(); });
    }
  }
}

}  // namespace poolbench::server
