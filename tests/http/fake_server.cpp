#include "fake_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace poolbench::testing {
namespace {

// Waits for readability in short slices so a stop request is noticed quickly.
bool wait_readable(int fd, const std::atomic<bool>& stopping) {
  while (!stopping) {
    pollfd p{fd, POLLIN, 0};
    const int r = poll(&p, 1, 20);
    if (r > 0)
      return true;
    if (r < 0)
      return false;
  }
  return false;
}

std::string decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string raw_http_response(unsigned status, std::string_view body) {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + std::string(body);
}

fake_reply rejection_reply(unsigned status, unsigned retry_after_s) {
  return {fake_reply::action::answer, "HTTP/1.1 " + std::to_string(status) +
                                          " Busy\r\nRetry-After: " + std::to_string(retry_after_s) +
                                          "\r\nContent-Length: 4\r\n\r\nbusy"};
}

fake_reply hello_reply(std::string_view target) {
  auto path = target.substr(1, target.find('?') == std::string_view::npos ? std::string_view::npos
                                                                          : target.find('?') - 1);
  return {fake_reply::action::answer, raw_http_response(200, "Hello, " + decode(path))};
}

fake_server::fake_server(responder respond, std::size_t requests_per_connection)
    : respond_(std::move(respond)), requests_per_connection_(requests_per_connection) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0)
    throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listen_fd_, 128) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(listen_fd_);
    throw std::runtime_error("fake_server: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

fake_server::~fake_server() {
  stop();
}

std::string fake_server::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void fake_server::stop() {
  stopping_ = true;
  if (acceptor_.joinable())
    acceptor_.join();
  std::lock_guard lock(mutex_);
  for (auto& t : workers_)
    t.join();
  workers_.clear();
  if (listen_fd_ >= 0)
    close(listen_fd_);
  listen_fd_ = -1;
}

void fake_server::accept_loop() {
  while (wait_readable(listen_fd_, stopping_)) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
      continue;
    ++connections_;
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, fd] {
      serve(fd);
      close(fd);
    });
  }
}

void fake_server::serve(int fd) {
  std::string buffer;
  std::size_t answered = 0;
  for (;;) {
    const auto head_end = buffer.find("\r\n\r\n");
    if (head_end == std::string::npos) {
      if (!wait_readable(fd, stopping_))
        return;
      char chunk[4096];
      const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0)
        return;
      buffer.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    const std::string head = buffer.substr(0, head_end);
    buffer.erase(0, head_end + 4);
    const auto first = head.find(' ');
    const auto second = head.find(' ', first + 1);
    ++requests_;
    const auto reply = respond_(std::string_view(head).substr(first + 1, second - first - 1));
    if (reply.what == fake_reply::action::close)
      return;
    if (reply.what == fake_reply::action::hang) {
      while (wait_readable(fd, stopping_)) {
        char chunk[4096];
        if (recv(fd, chunk, sizeof chunk, 0) <= 0)
          return;
      }
      return;
    }
    (void)send(fd, reply.bytes.data(), reply.bytes.size(), MSG_NOSIGNAL);
    ++answered;
    const bool client_closes = head.find("Connection: close") != std::string::npos ||
                               head.find("connection: close") != std::string::npos;
    if (client_closes || (requests_per_connection_ != 0 && answered >= requests_per_connection_)) {
      // Half-close, then wait for the client's close so our answer is not reset away.
      shutdown(fd, SHUT_WR);
      while (wait_readable(fd, stopping_)) {
        char chunk[4096];
        if (recv(fd, chunk, sizeof chunk, 0) <= 0)
          return;
      }
      return;
    }
  }
}

}  // namespace poolbench::testing
