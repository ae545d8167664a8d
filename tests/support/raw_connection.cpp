#include "raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace poolbench::testing {

raw_connection::raw_connection(std::uint16_t port, std::chrono::milliseconds timeout) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw std::runtime_error("socket failed");
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd_);
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + " failed");
  }
}

raw_connection::~raw_connection() {
  if (fd_ >= 0)
    close(fd_);
}

void raw_connection::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

bool raw_connection::has_unread_bytes() {
  if (!buffer_.empty())
    return true;
  pollfd p{fd_, POLLIN, 0};
  return poll(&p, 1, 0) > 0;
}

bool raw_connection::wait_until_read_by_peer(std::chrono::milliseconds timeout) {
  sockaddr_in local{}, peer{};
  socklen_t len = sizeof local;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len) != 0)
    return false;
  len = sizeof peer;
  if (getpeername(fd_, reinterpret_cast<sockaddr*>(&peer), &len) != 0)
    return false;
  // The server's end: local = our peer, remote = us (127.0.0.1 = 0100007F).
  char server_end[64];
  std::snprintf(server_end, sizeof server_end, "0100007F:%04X 0100007F:%04X", ntohs(peer.sin_port),
                ntohs(local.sin_port));
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream table("/proc/net/tcp");
    std::string line;
    while (std::getline(table, line)) {
      const auto at = line.find(server_end);
      if (at == std::string::npos)
        continue;
      // "<local> <remote> <state> <tx_queue>:<rx_queue> ..."
      std::istringstream fields(line.substr(at));
      std::string local_field, remote_field, state, queues;
      fields >> local_field >> remote_field >> state >> queues;
      const auto colon = queues.find(':');
      if (colon != std::string::npos && std::stoul(queues.substr(colon + 1), nullptr, 16) == 0)
        return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return false;
}

bool raw_connection::fill() {
  char buf[16384];
  const ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0)
    return false;
  buffer_.append(buf, static_cast<std::size_t>(n));
  return true;
}

std::optional<raw_response> raw_connection::read_response(bool head_request) {
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill())
      return std::nullopt;
  }
  raw_response res;
  res.raw_head = buffer_.substr(0, head_end);
  buffer_.erase(0, head_end + 4);
  // Status line: HTTP/1.1 200 OK
  const auto first_space = res.raw_head.find(' ');
  if (first_space == std::string::npos)
    return std::nullopt;
  res.status = std::stoi(res.raw_head.substr(first_space + 1, 3));
  std::size_t pos = res.raw_head.find("\r\n");
  while (pos != std::string::npos && pos < res.raw_head.size()) {
    const auto next = res.raw_head.find("\r\n", pos + 2);
    const auto line = res.raw_head.substr(
        pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      res.headers[name] = value;
    }
    pos = next;
  }
  std::size_t length = 0;
  if (auto it = res.headers.find("content-length"); it != res.headers.end() && !head_request) {
    length = std::stoul(it->second);
  }
  while (buffer_.size() < length) {
    if (!fill())
      return std::nullopt;
  }
  res.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return res;
}

bool raw_connection::closed_by_peer() {
  buffer_.clear();
  for (int i = 0; i < 1000; ++i) {  // bounded: each recv waits at most the timeout
    char buf[4096];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n == 0)
      return true;
    if (n < 0)
      return errno == ECONNRESET;
  }
  return false;
}

std::optional<raw_response> fetch(std::uint16_t port, const std::string& request) {
  raw_connection conn(port);
  conn.send(request);
  return conn.read_response(request.rfind("HEAD ", 0) == 0);
}

}  // namespace poolbench::testing
