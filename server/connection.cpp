#include "connection.hpp"

#include "request_handler.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <array>

namespace poolbench::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

bool is_http_parse_error(const boost::system::error_code& ec) {
  return ec.category() == beast::http::make_error_code(http::error::bad_target).category();
}

// The parser gave up because the header grew past its limit: was it the
// request line (414) or the fields after it (431)? Beast consumes the request
// line before the fields, and only then does the message have a target.
http::status oversized_header_status(const http::request_parser<http::string_body>& parser) {
  return parser.get().target().empty() ? http::status::uri_too_long
                                       : http::status::request_header_fields_too_large;
}

}  // namespace

connection::connection(tcp::socket socket, const server_options& options,
                       const std::atomic<bool>& stopping)
    : stream_(std::move(socket)), options_(options), stopping_(stopping) {}

asio::any_io_executor connection::executor() {
  return stream_.get_executor();
}

void connection::close_if_idle() {
  if (idle_)
    stream_.socket().cancel();
}

// Closes so that the peer still reads our last response: half-close, then
// drain what it is still sending for a moment, or an early close would make
// the kernel answer with a reset that can destroy the response in flight.
asio::awaitable<void> connection::close_gracefully() {
  boost::system::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (!ec) {
    std::array<char, 4096> scratch{};
    std::size_t drained = 0;
    stream_.expires_after(std::chrono::seconds(1));
    while (drained < 64 * 1024) {
      auto [read_ec, n] = co_await stream_.async_read_some(asio::buffer(scratch), use_tuple);
      if (read_ec)
        break;
      drained += n;
    }
  }
  stream_.socket().close(ec);
}

asio::awaitable<void> connection::write_and_close(response res) {
  res.keep_alive(false);
  stream_.expires_after(options_.idle_timeout);
  co_await http::async_write(stream_, res, use_tuple);
  co_await close_gracefully();
}

asio::awaitable<void> connection::serve() {
  const auto self = shared_from_this();  // the registry only holds weak references
  const auto& limits = options_.limits;
  beast::flat_buffer buffer;
  for (;;) {
    // Between requests: wait for the next one's first byte, at most idle_timeout.
    if (buffer.size() == 0) {
      if (stopping_)
        break;
      idle_ = true;
      stream_.expires_after(options_.idle_timeout);
      auto [ec, n] = co_await stream_.async_read_some(buffer.prepare(4096), use_tuple);
      idle_ = false;
      if (ec)
        break;  // closed by peer, idle timeout, or shutdown
      buffer.commit(n);
    }

    // The whole request must arrive within header_timeout of its first byte,
    // which is what cuts off slowloris senders.
    http::request_parser<http::string_body> parser;
    parser.header_limit(
        static_cast<std::uint32_t>(limits.max_target_bytes + limits.max_header_bytes + 1024));
    parser.body_limit(limits.max_body_bytes);
    stream_.expires_after(options_.header_timeout);
    auto [read_ec, read_n] = co_await http::async_read(stream_, buffer, parser, use_tuple);
    if (read_ec == http::error::header_limit) {
      co_await write_and_close(
          error_response(oversized_header_status(parser), "request header too large", 11, false));
      co_return;
    }
    if (read_ec == http::error::body_limit) {
      co_await write_and_close(
          error_response(http::status::payload_too_large, "request body too large", 11, false));
      co_return;
    }
    if (read_ec && read_ec != http::error::end_of_stream && is_http_parse_error(read_ec)) {
      co_await write_and_close(
          error_response(http::status::bad_request, "malformed request", 11, false));
      co_return;
    }
    if (read_ec)
      break;  // peer closed, reset, or header timeout

    auto handled = handle_request(parser.get(), limits);
    if (handled.delay.count() > 0) {
      asio::steady_timer timer(stream_.get_executor(), handled.delay);
      co_await timer.async_wait(use_tuple);
    }
    if (stopping_)
      handled.res.keep_alive(false);
    const bool keep_alive = handled.res.keep_alive();
    stream_.expires_after(options_.idle_timeout);
    auto [write_ec, write_n] = co_await http::async_write(stream_, handled.res, use_tuple);
    if (write_ec)
      break;
    if (!keep_alive) {
      co_await close_gracefully();
      co_return;
    }
  }
  boost::system::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

std::uint64_t connection_registry::add(const std::shared_ptr<connection>& conn) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  connections_.emplace(id, conn);
  return id;
}

void connection_registry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
}

std::size_t connection_registry::size() const {
  std::lock_guard lock(mutex_);
  return connections_.size();
}

void connection_registry::close_idle_connections() {
  std::lock_guard lock(mutex_);
  for (const auto& [id, weak] : connections_) {
    if (auto conn = weak.lock()) {
      asio::post(conn->executor(), [conn] { conn->close_if_idle(); });
    }
  }
}

}  // namespace poolbench::server
