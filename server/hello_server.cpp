#include "hello_server.hpp"

#include "connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <iostream>
#include <string_view>
#include <thread>
#include <vector>

namespace poolbench::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

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

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, const server_options& options,
                                  std::shared_ptr<connection_registry> registry,
                                  const std::atomic<bool>& stopping) {
  auto io = acceptor.get_executor();
  for (;;) {
    // With several threads each connection gets its own strand; with one
    // thread a strand would only cost time.
    const auto conn_executor = options.threads > 1 ? asio::any_io_executor(asio::make_strand(io))
                                                   : asio::any_io_executor(io);
    auto [ec, socket] = co_await acceptor.async_accept(conn_executor, use_tuple);
    if (stopping || ec == asio::error::operation_aborted)
      co_return;
    if (ec) {
      // Out of file descriptors: back off instead of spinning on EMFILE; the
      // pending connection stays in the backlog until a descriptor frees up.
      std::cerr << "poolbench-server: accept failed: " << ec.message() << "\n";
      asio::steady_timer pause(io, is_out_of_descriptors(ec) ? std::chrono::milliseconds(100)
                                                             : std::chrono::milliseconds(10));
      co_await pause.async_wait(use_tuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (registry->size() >= options.max_connections) {
      auto strand = socket.get_executor();
      asio::co_spawn(strand, refuse(std::move(socket)), asio::detached);
      continue;
    }
    auto conn = std::make_shared<connection>(std::move(socket), options, stopping);
    const auto id = registry->add(conn);
    asio::co_spawn(conn->executor(), conn->serve(),
                   [registry, id](const std::exception_ptr&) { registry->remove(id); });
  }
}

}  // namespace

hello_server::hello_server(server_options options)
    : options_(std::move(options)),
      ioc_(static_cast<int>(options_.threads == 0 ? 1 : options_.threads)),
      acceptor_(ioc_),
      registry_(std::make_shared<connection_registry>()) {
  const tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

hello_server::~hello_server() = default;

tcp::endpoint hello_server::local_endpoint() const {
  return acceptor_.local_endpoint();
}

void hello_server::stop() {
  asio::post(ioc_, [this] { begin_shutdown(); });
}

void hello_server::begin_shutdown() {
  if (stopping_.exchange(true))
    return;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  registry_->close_idle_connections();
  // Busy connections finish their response and close; wait for them, but at
  // most shutdown_grace (a long ?delay_ms must not hold the process hostage).
  asio::co_spawn(
      ioc_,
      [this]() -> asio::awaitable<void> {
        const auto deadline = std::chrono::steady_clock::now() + options_.shutdown_grace;
        asio::steady_timer tick(ioc_);
        while (registry_->size() > 0 && std::chrono::steady_clock::now() < deadline) {
          tick.expires_after(std::chrono::milliseconds(10));
          co_await tick.async_wait(use_tuple);
        }
        ioc_.stop();
      },
      asio::detached);
}

void hello_server::run(bool handle_signals, const std::function<void()>& on_ready) {
  asio::co_spawn(ioc_, accept_loop(acceptor_, options_, registry_, stopping_), asio::detached);
  asio::signal_set signals(ioc_);
  if (handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.async_wait([this](boost::system::error_code ec, int) {
      if (!ec)
        begin_shutdown();
    });
  }
  if (on_ready)
    on_ready();
  std::vector<std::jthread> extra;
  for (std::size_t i = 1; i < options_.threads; ++i)
    extra.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : extra)
    t.join();
}

}  // namespace poolbench::server
