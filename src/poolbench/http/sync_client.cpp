#include <poolbench/http/client_detail.hpp>
#include <poolbench/http/lean_response_parser.hpp>
#include <poolbench/http/response_check.hpp>
#include <poolbench/http/retry_policy.hpp>
#include <poolbench/http/sync_client.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <thread>

namespace poolbench::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;
using boost::system::error_code;

// Waits until the socket is ready for `events` or `deadline` passes (then
// sets ec to timed_out). Blocking sockets cannot time out a read by
// themselves, so the socket runs non-blocking and waits here instead.
bool wait_ready(int fd, short events, clock::time_point deadline, error_code& ec) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0) {
      ec = asio::error::timed_out;
      return false;
    }
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r > 0)
      return true;
    if (r < 0 && errno != EINTR) {
      ec = error_code(errno, boost::system::system_category());
      return false;
    }
  }
}

// A Beast SyncReadStream/SyncWriteStream over a non-blocking socket where
// every operation ends by `deadline`.
class deadline_stream {
 public:
  deadline_stream(tcp::socket& socket, clock::time_point deadline)
      : socket_(socket), deadline_(deadline) {}

  template <class Buffers>
  std::size_t read_some(const Buffers& buffers, error_code& ec) {
    for (;;) {
      const std::size_t n = socket_.read_some(buffers, ec);
      if (ec != asio::error::would_block && ec != asio::error::try_again)
        return n;
      if (!wait_ready(socket_.native_handle(), POLLIN, deadline_, ec))
        return 0;
    }
  }
  template <class Buffers>
  std::size_t read_some(const Buffers& buffers) {
    error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec)
      throw boost::system::system_error(ec);
    return n;
  }

  template <class Buffers>
  std::size_t write_some(const Buffers& buffers, error_code& ec) {
    for (;;) {
      const std::size_t n = socket_.write_some(buffers, ec);
      if (ec != asio::error::would_block && ec != asio::error::try_again)
        return n;
      if (!wait_ready(socket_.native_handle(), POLLOUT, deadline_, ec))
        return 0;
    }
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers) {
    error_code ec;
    const std::size_t n = write_some(buffers, ec);
    if (ec)
      throw boost::system::system_error(ec);
    return n;
  }

 private:
  tcp::socket& socket_;
  clock::time_point deadline_;
};

}  // namespace

struct sync_client::impl {
  url server;
  client_options options;
  asio::io_context ioc;  // sockets need one; nothing ever runs it
  std::optional<std::vector<tcp::endpoint>> endpoints;
  std::optional<tcp::socket> socket;  // the open connection, if any
  beast::flat_buffer buffer;
  std::size_t opened = 0;
  unsigned last_attempts = 0;  // of the last get_hello
  backoff_jitter jitter;

  impl(url s, client_options o) : server(std::move(s)), options(o) {}

  void close() {
    if (!socket)
      return;
    error_code ignored;
    socket->shutdown(tcp::socket::shutdown_both, ignored);
    socket->close(ignored);
    socket.reset();
    buffer.clear();
  }

  // Non-blocking connect, bounded by connect_timeout; tries every endpoint.
  void connect(const std::string& request_url) {
    if (!endpoints)
      endpoints = detail::resolve(server);
    const auto deadline = clock::now() + options.connect_timeout;
    error_code ec;
    for (const auto& endpoint : *endpoints) {
      close();
      socket.emplace(ioc);
      socket->open(endpoint.protocol(), ec);
      if (ec)
        continue;
      socket->non_blocking(true, ec);
      socket->connect(endpoint, ec);
      if (ec == asio::error::in_progress || ec == asio::error::would_block) {
        if (wait_ready(socket->native_handle(), POLLOUT, deadline, ec)) {
          int so_error = 0;
          socklen_t len = sizeof so_error;
          ::getsockopt(socket->native_handle(), SOL_SOCKET, SO_ERROR, &so_error, &len);
          ec = error_code(so_error, boost::system::system_category());
        }
      }
      if (!ec) {
        socket->set_option(tcp::no_delay(true), ec);  // small requests: do not wait for Nagle
        ++opened;
        return;
      }
    }
    close();
    throw detail::connect_error(ec, request_url, options);
  }

  // Sends one request and reads its answer on the open connection.
  error_code exchange(const std::string& req, lean_response_parser& parser) {
    deadline_stream stream(*socket, clock::now() + options.read_timeout);
    error_code ec;
    asio::write(stream, asio::buffer(req), ec);
    if (!ec)
      beast_http::read(stream, buffer, parser, ec);
    return ec;
  }

  response get(const std::string& target) {
    const std::string request_url = "http://" + server.authority() + target;
    const auto req = detail::make_request(server, target, options.mode);
    const bool reused = socket.has_value();
    if (!reused)
      connect(request_url);
    std::optional<lean_response_parser> parser;
    parser.emplace();
    detail::limit_parser(*parser, options);
    error_code ec = exchange(req, *parser);
    // A reused connection may have been closed by the server while idle: that
    // shows up as a failed write or an early end of stream. Reconnect once;
    // GET is idempotent. A timeout is not retried (it would double the wait).
    if (ec && reused && ec != asio::error::timed_out) {
      close();
      connect(request_url);
      parser.emplace();
      detail::limit_parser(*parser, options);
      ec = exchange(req, *parser);
    }
    if (ec) {
      close();
      throw detail::exchange_error(ec, request_url, options);
    }
    if (options.mode == connection::fresh || !parser->keep_alive())
      close();
    return {parser->status(), std::move(parser->body()), parser->retry_after_s()};
  }
};

sync_client::sync_client(url server, client_options options)
    : impl_(std::make_unique<impl>(std::move(server), options)) {}
sync_client::~sync_client() {
  if (impl_)
    impl_->close();
}
sync_client::sync_client(sync_client&&) noexcept = default;
sync_client& sync_client::operator=(sync_client&&) noexcept = default;

std::string sync_client::get_hello(std::string_view name, std::uint64_t delay_ms) {
  const std::string target = impl_->server.hello_target(name, delay_ms);
  const auto& options = impl_->options;
  response res;
  for (unsigned attempt = 1;; ++attempt) {
    res = impl_->get(target);
    impl_->last_attempts = attempt;
    if (!is_rejection(res.status))
      break;
    if (attempt > options.retry.retries)
      throw request_error(request_error::kind::rejected,
                          "http://" + impl_->server.authority() + target,
                          exhausted_detail(res.status, attempt, options.retry.retries));
    // This worker waits; the others go on (retry_policy.hpp).
    std::this_thread::sleep_for(
        options.retry.wait(attempt - 1, impl_->jitter.next(), res.retry_after_s));
  }
  // The URL (for the error message) is built only when the check fails.
  if (!options.expect.accepts(name, res.status, res.body))
    options.expect.check("http://" + impl_->server.authority() + target, name, res.status,
                         res.body);
  return std::move(res.body);
}

response sync_client::get(const std::string& target) {
  return impl_->get(target);
}

const url& sync_client::server() const noexcept {
  return impl_->server;
}

std::size_t sync_client::connections_opened() const noexcept {
  return impl_->opened;
}

unsigned sync_client::last_attempts() const noexcept {
  return impl_->last_attempts;
}

}  // namespace poolbench::http
