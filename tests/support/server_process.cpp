#include "server_process.hpp"

#include "spawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace poolbench::testing {
namespace {

using clock = std::chrono::steady_clock;

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits for `pid` until `deadline`; returns the decoded status or nullopt.
std::optional<int> wait_until(pid_t pid, clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (r < 0 && errno != EINTR)
      return -1;
    if (clock::now() >= deadline)
      return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

server_process::server_process(const std::string& binary, const std::vector<std::string>& args,
                               std::chrono::milliseconds ready_timeout) {
  std::vector<std::string> all = {"--address", "127.0.0.1", "--port", "0"};
  all.insert(all.end(), args.begin(), args.end());
  pid_ = spawn(binary, all, stdout_fd_, nullptr);
  const auto deadline = clock::now() + ready_timeout;
  std::string line;
  while (line.find('\n') == std::string::npos) {
    pollfd p{stdout_fd_, POLLIN, 0};
    const int ready = poll(&p, 1, remaining_ms(deadline));
    char buf[256];
    const ssize_t n = ready > 0 ? read(stdout_fd_, buf, sizeof buf) : 0;
    if (n <= 0) {
      stop(SIGKILL);
      throw std::runtime_error("server did not print its 'listening on' line: '" + line + "'");
    }
    line.append(buf, static_cast<std::size_t>(n));
  }
  const auto colon = line.rfind(':');
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
}

server_process::~server_process() {
  if (pid_ > 0)
    stop(SIGKILL);
  if (stdout_fd_ >= 0)
    close(stdout_fd_);
}

std::string server_process::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

int server_process::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0)
    return -1;
  kill(pid_, signal);
  auto status = wait_until(pid_, clock::now() + timeout);
  if (!status) {
    kill(pid_, SIGKILL);
    status = wait_until(pid_, clock::now() + std::chrono::seconds(10));
  }
  pid_ = -1;
  return status.value_or(-1);
}

run_result run_program(const std::string& binary, const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout) {
  int out_fd = -1, err_fd = -1;
  const pid_t pid = spawn(binary, args, out_fd, &err_fd);
  run_result result;
  const auto deadline = clock::now() + timeout;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0 && remaining_ms(deadline) > 0) {
    if (poll(fds, 2, remaining_ms(deadline)) <= 0)
      break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0)
        continue;
      char buf[4096];
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      (i == 0 ? result.out : result.err).append(buf, static_cast<std::size_t>(n));
    }
  }
  if (open_fds > 0)
    kill(pid, SIGKILL);  // ran past its time bound
  result.exit_code = wait_until(pid, clock::now() + std::chrono::seconds(10)).value_or(-1);
  close(out_fd);
  close(err_fd);
  return result;
}

bool process_exists(pid_t pid) {
  if (kill(pid, 0) != 0)
    return false;
  // A zombie still answers kill(0); check its state in /proc.
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  char buf[512] = {};
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return false;
  const char* paren = strrchr(buf, ')');
  return paren == nullptr || paren[1] == '\0' || paren[2] != 'Z';
}

}  // namespace poolbench::testing
