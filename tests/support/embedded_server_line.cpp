#include "embedded_server_line.hpp"

#include <poll.h>
#include <unistd.h>

#include <regex>

namespace poolbench::testing {

pid_t embedded_server_pid(const std::string& stderr_text) {
  static const std::regex started(R"(started poolbench-server \(pid (\d+)\) at http://\S+\n)");
  std::smatch m;
  return std::regex_search(stderr_text, m, started) ? std::stoi(m[1]) : -1;
}

pid_t read_until_embedded_server(int err_fd, std::string& err, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  pid_t server = embedded_server_pid(err);
  while (server < 0 && std::chrono::steady_clock::now() < deadline) {
    pollfd p{err_fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0)
      continue;
    char buf[512];
    const ssize_t n = read(err_fd, buf, sizeof buf);
    if (n <= 0)
      break;  // the program closed its stderr: it exited
    err.append(buf, static_cast<std::size_t>(n));
    server = embedded_server_pid(err);
  }
  return server;
}

}  // namespace poolbench::testing
