#include <poolbench/http/async_client.hpp>
#include <poolbench/http/client_detail.hpp>
#include <poolbench/http/lean_response_parser.hpp>
#include <poolbench/http/response_check.hpp>
#include <poolbench/http/retry_policy.hpp>
#include <poolbench/http/simple_response.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace poolbench::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

// One client's connection and its deadline. A plain socket and one timer
// armed once per connect and once per request: Beast's tcp_stream armed and
// cancelled a timer around every read and every write (two of each per
// request, with their handlers' allocations), a large share of the client's
// own CPU per request on a keep-alive run (results/PERFORMANCE.md).
struct async_client::impl : std::enable_shared_from_this<async_client::impl> {
  asio::any_io_executor executor;
  url server;
  client_options options;
  std::optional<std::vector<tcp::endpoint>> endpoints;
  std::optional<tcp::socket> socket;  // the open connection, if any
  beast::flat_buffer buffer;
  std::size_t opened = 0;
  const std::string request_tail;  // after the target, the same in every request
  std::string request;             // the request being sent; its storage is reused
  asio::steady_timer deadline;
  // Which arming of `deadline` is current: a handler from an earlier one
  // (already expired when it was cancelled) must not close a later request.
  std::uint64_t armed = 0;
  bool timed_out = false;                     // the current deadline passed: the socket was closed
  unsigned last_attempts = 0;                 // of the last checked request
  std::optional<asio::steady_timer> backoff;  // built at the first 429 or 503
  backoff_jitter jitter;

  impl(asio::any_io_executor ex, url s, client_options o)
      : executor(std::move(ex)),
        server(std::move(s)),
        options(o),
        request_tail(detail::request_tail(server, options.mode)),
        deadline(executor) {}

  void close() {
    if (!socket)
      return;
    error_code ignored;
    socket->shutdown(tcp::socket::shutdown_both, ignored);
    socket->close(ignored);
    socket.reset();
    buffer.clear();
  }

  // Closes the socket when `timeout` passes before disarm(): the operation
  // in progress then fails, and timed_out says why. The handler holds a weak
  // reference: it may run after the client is gone.
  void arm(std::chrono::milliseconds timeout) {
    timed_out = false;
    deadline.expires_after(timeout);
    deadline.async_wait([self = weak_from_this(), tick = ++armed](error_code ec) {
      if (ec)  // cancelled: disarmed, re-armed, or the client went away
        return;
      const auto me = self.lock();
      if (!me || me->armed != tick || !me->socket)
        return;
      me->timed_out = true;
      error_code ignored;
      me->socket->close(ignored);
    });
  }
  void disarm() {
    ++armed;
    deadline.cancel();
  }

  // The error an operation's failure stands for: a timeout when the deadline
  // closed the socket under it. (An operation that completed before the
  // deadline's handler ran still succeeded.)
  [[nodiscard]] error_code failure(error_code ec) const {
    return ec && timed_out ? error_code(beast::error::timeout) : ec;
  }

  // The URL a request names, for error messages only: built when one is thrown.
  [[nodiscard]] std::string url_of(const std::string& target) const {
    return "http://" + server.authority() + target;
  }

  asio::awaitable<void> connect(const std::string& target) {
    // Resolving a name blocks, but only once per client and before any timing
    // that matters: IP literals (the usual case) skip the resolver entirely.
    if (!endpoints)
      endpoints = detail::resolve(server);
    close();
    socket.emplace(executor);
    arm(options.connect_timeout);
    auto [connect_ec, endpoint] = co_await asio::async_connect(*socket, *endpoints, use_tuple);
    disarm();
    if (connect_ec) {
      const error_code ec = failure(connect_ec);
      close();
      throw detail::connect_error(ec, url_of(target), options);
    }
    error_code ignored;
    socket->set_option(tcp::no_delay(true), ignored);
    ++opened;
  }

  // The rest of an answer the fast path declined (simple_response.hpp):
  // Beast's parser on the bytes already read, then async_read for the rest.
  // A coroutine of its own, so that its frame (parser included) is built
  // only for such answers.
  asio::awaitable<error_code> read_with_beast(simple_response& answer) {
    lean_response_parser parser;
    detail::limit_parser(parser, options);
    parser.eager(true);
    error_code parse_ec;
    while (!parser.is_done() && buffer.size() > 0) {
      buffer.consume(parser.put(buffer.data(), parse_ec));
      if (parse_ec)
        break;
    }
    if (!parser.is_done()) {
      if (parse_ec && parse_ec != beast_http::error::need_more)
        co_return parse_ec;
      auto [read_ec, read] = co_await beast_http::async_read(*socket, buffer, parser, use_tuple);
      if (read_ec)
        co_return read_ec;
    }
    answer.status = parser.status();
    answer.body = std::move(parser.body());
    answer.keep_alive = parser.keep_alive();
    answer.retry_after_s = parser.retry_after_s();
    co_return error_code{};
  }

  // GET `target`; with `hello` set, the answer must be 200 "Hello, <hello>".
  // Returns the response, or (Result = std::string) its body alone. The
  // whole exchange is this one coroutine (the public calls return it
  // directly): every coroutine layer cost a frame allocation and a
  // resumption per request.
  template <class Result>
  asio::awaitable<Result> get(std::string target, std::optional<std::string> hello) {
    detail::write_request(request, target, request_tail);
    simple_response answer;
    // A checked request retries a 429 or 503 (retry_policy.hpp) in this same
    // coroutine, waiting on a timer: the event loop goes on meanwhile.
    for (unsigned attempt = 1;; ++attempt) {
      bool reused = socket.has_value();
      if (!reused)
        co_await connect(target);
      answer = simple_response{};
      error_code ec;
      for (;;) {
        arm(options.read_timeout);
        do {
          auto [write_ec, written] =
              co_await asio::async_write(*socket, asio::buffer(request), use_tuple);
          if (write_ec) {
            ec = write_ec;
            break;
          }
          // A small answer usually arrives in one piece: read what is there
          // and parse it in place, which spares the composed async_read (its
          // state and its completion's extra trip through the scheduler).
          if (buffer.size() == 0) {
            auto [some_ec, n] = co_await socket->async_read_some(buffer.prepare(4096), use_tuple);
            if (some_ec) {
              ec = some_ec == asio::error::eof ? error_code(beast_http::error::end_of_stream)
                                               : some_ec;
              break;
            }
            buffer.commit(n);
          }
          // The usual answer, complete and plain, without Beast.
          const auto data = buffer.data();
          const std::size_t used = parse_simple_response(
              {static_cast<const char*>(data.data()), data.size()}, options.max_body_bytes, answer);
          if (used > 0) {
            buffer.consume(used);
            ec = {};
            break;
          }
          ec = co_await read_with_beast(answer);
        } while (false);
        disarm();
        ec = failure(ec);
        // A reused connection the server closed while idle fails on first
        // use: reconnect once (GET is idempotent); never retry a timeout.
        if (!ec || !reused || ec == beast::error::timeout)
          break;
        co_await connect(target);
        reused = false;
        answer = simple_response{};
      }
      if (ec) {
        close();
        throw detail::exchange_error(ec, url_of(target), options);
      }
      if (options.mode == connection::fresh || !answer.keep_alive)
        close();
      last_attempts = attempt;
      if (!hello || !is_rejection(answer.status))
        break;
      if (attempt > options.retry.retries)
        throw request_error(request_error::kind::rejected, url_of(target),
                            exhausted_detail(answer.status, attempt, options.retry.retries));
      if (!backoff)
        backoff.emplace(executor);
      backoff->expires_after(options.retry.wait(attempt - 1, jitter.next(), answer.retry_after_s));
      co_await backoff->async_wait(use_tuple);
    }
    // The URL (for the error message) is built only when the check fails.
    if (hello && !options.expect.accepts(*hello, answer.status, answer.body))
      options.expect.check(url_of(target), *hello, answer.status, answer.body);
    if constexpr (std::is_same_v<Result, std::string>) {
      co_return std::move(answer.body);
    } else {
      co_return response{answer.status, std::move(answer.body), answer.retry_after_s};
    }
  }
};

async_client::async_client(asio::any_io_executor executor, url server, client_options options)
    : impl_(std::make_shared<impl>(std::move(executor), std::move(server), options)) {}
async_client::~async_client() {
  if (impl_)
    impl_->close();
}
async_client::async_client(async_client&&) noexcept = default;
async_client& async_client::operator=(async_client&&) noexcept = default;

asio::awaitable<std::string> async_client::get_hello(std::string name, std::uint64_t delay_ms) {
  std::string target = impl_->server.hello_target(name, delay_ms);
  return impl_->get<std::string>(std::move(target), std::move(name));
}

asio::awaitable<response> async_client::get(std::string target) {
  return impl_->get<response>(std::move(target), std::nullopt);
}

const url& async_client::server() const noexcept {
  return impl_->server;
}

std::size_t async_client::connections_opened() const noexcept {
  return impl_->opened;
}

unsigned async_client::last_attempts() const noexcept {
  return impl_->last_attempts;
}

}  // namespace poolbench::http
