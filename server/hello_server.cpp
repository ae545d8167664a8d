#include "hello_server.hpp"

#include "backend_model.hpp"
#include "connection.hpp"
#include "signal_waiter.hpp"
#include "use_tuple.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace poolbench::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// Sent to connections beyond --max-connections, which are accepted (so the
// client learns why at once) and closed.
constexpr std::string_view busy_response =
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 21\r\n"
    "Connection: close\r\n"
    "\r\n"
    "too many connections\n";

asio::awaitable<void> refuse(tcp::socket socket) {
  asio::steady_timer deadline(socket.get_executor(), std::chrono::seconds(1));
  deadline.async_wait([&socket](boost::system::error_code ec) {
    if (!ec)
      socket.close(ec);
  });
  co_await asio::async_write(socket, asio::buffer(busy_response), use_tuple);
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  deadline.cancel();
  socket.close(ignored);
}

bool is_out_of_descriptors(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open ||
         ec == boost::system::errc::too_many_files_open_in_system ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

// `strands`: the acceptor's io_context is run by several threads, so each
// connection needs its own strand; with one thread a strand would only cost
// time.
asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, const server_options& options,
                                  bool strands, std::shared_ptr<connection_registry> registry,
                                  const std::atomic<bool>& stopping, backend_model* model,
                                  std::atomic<std::size_t>& running) {
  auto io = acceptor.get_executor();
  for (;;) {
    const auto conn_executor =
        strands ? asio::any_io_executor(asio::make_strand(io)) : asio::any_io_executor(io);
    auto [ec, socket] = co_await acceptor.async_accept(conn_executor, use_tuple);
    if (stopping || ec == asio::error::operation_aborted) {
      --running;
      co_return;
    }
    if (ec) {
      // Out of file descriptors: back off instead of spinning on EMFILE; the
      // pending connection stays in the backlog until a descriptor frees up.
      std::cerr << "poolbench-server: accept failed: " << ec.message() << "\n";
      asio::steady_timer pause(io, is_out_of_descriptors(ec) ? std::chrono::milliseconds(100)
                                                             : std::chrono::milliseconds(10));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    // TCP_NODELAY is set by the connection before its second answer (the
    // first never waits for Nagle), so a connection per request spares it.
    if (registry->open_count() >= options.max_connections) {
      auto strand = socket.get_executor();
      asio::co_spawn(strand, refuse(std::move(socket)), asio::detached);
      continue;
    }
    auto conn = std::make_shared<connection>(std::move(socket), options, stopping, model);
    const auto id = registry->add(conn);
    conn->on_closing([registry, id] { registry->mark_closing(id); });
    asio::co_spawn(conn->executor(), conn->serve(),
                   [registry, id](const std::exception_ptr&) { registry->remove(id); });
  }
}

// --max-delay-ms in µs, saturating rather than overflowing for absurd values.
std::chrono::microseconds max_delay(const request_limits& limits) {
  constexpr std::uint64_t ceiling_ms = std::numeric_limits<std::int64_t>::max() / 1000;
  return std::chrono::milliseconds(std::min(limits.max_delay_ms, ceiling_ms));
}

using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

void listen_on(tcp::acceptor& acceptor, const tcp::endpoint& endpoint, bool share_port) {
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  if (share_port)
    acceptor.set_option(reuse_port(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
}

// SO_REUSEPORT would let this process bind a port that another server of the
// same user (another poolbench-server, say) listens on, and silently take a
// share of its connections. A bind without SO_REUSEPORT conflicts with any
// listener on the endpoint, so it tells whether the port is in use; throws
// like the real bind. (Two servers starting in the same instant could both
// pass; a port chosen by the kernel, port 0, needs no check.)
void check_port_is_free(const tcp::endpoint& endpoint) {
  asio::io_context scratch;
  tcp::acceptor probe(scratch);
  listen_on(probe, endpoint, /*share_port=*/false);
}

}  // namespace

hello_server::hello_server(server_options options)
    : options_(std::move(options)), registry_(std::make_shared<connection_registry>()) {
  if (options_.backend.any())
    model_ = std::make_unique<backend_model>(options_.backend, max_delay(options_.limits));
  options_.threads = std::max<std::size_t>(options_.threads, 1);
  const bool per_thread = options_.model == io_model::reuseport;
  tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
  if (per_thread && endpoint.port() != 0)
    check_port_is_free(endpoint);
  const std::size_t units = per_thread ? options_.threads : 1;
  for (std::size_t i = 0; i < units; ++i) {
    units_.push_back(std::make_unique<io_unit>(static_cast<int>(threads_per_unit())));
    listen_on(units_.back()->acceptor, endpoint, per_thread);
    // Port 0: the first bind picked a port; every other acceptor must share
    // that one, not pick ports of its own.
    if (i == 0)
      endpoint.port(units_[0]->acceptor.local_endpoint().port());
  }
}

hello_server::~hello_server() = default;

std::size_t hello_server::threads_per_unit() const {
  return options_.model == io_model::reuseport ? 1 : options_.threads;
}

tcp::endpoint hello_server::local_endpoint() const {
  return units_[0]->acceptor.local_endpoint();
}

void hello_server::stop() {
  asio::post(units_[0]->ioc, [this] { begin_shutdown(); });
}

void hello_server::begin_shutdown() {
  if (stopping_.exchange(true))
    return;
  // Each acceptor is closed by its own io_context: with io_model::reuseport
  // that is the one thread its accept loop runs on.
  for (auto& unit : units_) {
    asio::post(unit->ioc, [&acceptor = unit->acceptor] {
      boost::system::error_code ignored;
      acceptor.close(ignored);
    });
  }
  registry_->close_idle_connections();
  // Busy connections finish their response and close, and the accept loops
  // see their acceptors closed; wait for both, but at most shutdown_grace (a
  // long ?delay_ms must not hold the process hostage).
  auto& ioc = units_[0]->ioc;
  asio::co_spawn(
      ioc,
      [this, &ioc]() -> asio::awaitable<void> {
        const auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
        asio::steady_timer tick(ioc);
        while ((registry_->size() > 0 || accept_loops_ > 0) &&
               std::chrono::steady_clock::now() < deadline) {
          tick.expires_after(std::chrono::milliseconds(10));
          co_await tick.async_wait(use_tuple);
        }
        for (auto& unit : units_)
          unit->ioc.stop();
      },
      asio::detached);
}

void hello_server::run(bool handle_signals, const std::function<void()>& on_ready) {
  // Every accept loop is queued before any thread runs, so a stop() that came
  // first still finds them to close.
  accept_loops_ = units_.size();
  for (auto& unit : units_) {
    asio::co_spawn(unit->ioc,
                   accept_loop(unit->acceptor, options_, threads_per_unit() > 1, registry_,
                               stopping_, model_.get(), accept_loops_),
                   asio::detached);
  }
  auto& ioc = units_[0]->ioc;
  // SIGINT and SIGTERM are taken by one thread of our own in sigwait(), not
  // by a handler: blocked here, before any io thread exists, so every thread
  // inherits the mask. A handler runs on whichever thread the kernel picks,
  // and under ThreadSanitizer a handler for a thread parked in the
  // scheduler's condition wait is deferred until that wait returns, which
  // on an idle server is never (seen: a SIGTERM lost, the server killed
  // after 20 s).
  std::optional<signal_waiter> signals;
  if (handle_signals)
    signals.emplace([this] { asio::post(units_[0]->ioc, [this] { begin_shutdown(); }); });
  if (on_ready)
    on_ready();
  std::vector<std::jthread> extra;
  for (std::size_t u = 0; u < units_.size(); ++u) {
    for (std::size_t t = u == 0 ? 1 : 0; t < threads_per_unit(); ++t)
      extra.emplace_back([&unit_ioc = units_[u]->ioc] { unit_ioc.run(); });
  }
  ioc.run();
  for (auto& t : extra)
    t.join();
  signals.reset();
  if (model_)
    model_->close();
}

}  // namespace poolbench::server
