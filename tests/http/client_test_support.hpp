#pragma once
// Shared by the client tests: a port nobody listens on, and the real server.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace poolbench::testing {

// A loopback port that refuses connections: bound and released again, so
// nothing listens there (the kernel does not hand it out again at once).
inline std::uint16_t dead_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("dead_port: bind failed");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace poolbench::testing
