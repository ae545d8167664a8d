#include "server_process.hpp"

#include "spawn.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
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

bool has_sanitizer_report(std::string_view text) {
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "WARNING: ThreadSanitizer", "runtime error:"}) {
    if (text.find(marker) != std::string_view::npos)
      return true;
  }
  return false;
}

server_process::server_process(const std::string& binary, const std::vector<std::string>& args,
                               std::chrono::milliseconds ready_timeout) {
  std::vector<std::string> all = {"--address", "127.0.0.1", "--port", "0"};
  all.insert(all.end(), args.begin(), args.end());
  pid_ = spawn(binary, all, stdout_fd_, &stderr_fd_);
  // Room for a few sanitizer reports between stops (the default is 64 KiB).
  (void)fcntl(stderr_fd_, F_SETPIPE_SZ, 1 << 20);
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
  try {
    const auto colon = line.rfind(':');
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  } catch (const std::exception&) {
    stop(SIGKILL);
    throw std::runtime_error("server printed no port: '" + line + "'");
  }
}

server_process::~server_process() {
  if (pid_ > 0) {
    const pid_t pid = pid_;
    const int status = stop(SIGTERM);
    if (status != 0)
      ADD_FAILURE() << "poolbench-server (pid " << pid << ") exited " << status
                    << " when stopped with SIGTERM; its stderr:\n"
                    << stderr_;
  }
  if (stdout_fd_ >= 0)
    close(stdout_fd_);
  if (stderr_fd_ >= 0)
    close(stderr_fd_);
}

void server_process::drain_stderr() {
  if (stderr_fd_ < 0)
    return;
  for (;;) {
    pollfd p{stderr_fd_, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0)
      return;
    char buf[4096];
    const ssize_t n = read(stderr_fd_, buf, sizeof buf);
    if (n <= 0) {  // end of file: the server (and anything sharing the pipe) is gone
      close(stderr_fd_);
      stderr_fd_ = -1;
      return;
    }
    // Echoed as before, so a failing test still shows what the server said.
    (void)!write(STDERR_FILENO, buf, static_cast<std::size_t>(n));
    stderr_.append(buf, static_cast<std::size_t>(n));
  }
}

std::string server_process::stderr_text() {
  drain_stderr();
  return stderr_;
}

std::string server_process::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

int server_process::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0)
    return -1;
  if (signal != 0)
    kill(pid_, signal);
  // Read stderr while waiting: a server writing a long report must not block
  // on a full pipe instead of exiting.
  const auto wait_draining = [this](clock::time_point deadline) {
    for (;;) {
      drain_stderr();
      if (auto status =
              wait_until(pid_, std::min(deadline, clock::now() + std::chrono::milliseconds(20))))
        return status;
      if (clock::now() >= deadline)
        return std::optional<int>{};
    }
  };
  auto status = wait_draining(clock::now() + timeout);
  if (!status) {
    kill(pid_, SIGKILL);
    status = wait_draining(clock::now() + std::chrono::seconds(10));
  }
  drain_stderr();
  const pid_t pid = pid_;
  pid_ = -1;
  if (has_sanitizer_report(stderr_))
    ADD_FAILURE() << "poolbench-server (pid " << pid << ") wrote a sanitizer report:\n" << stderr_;
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
