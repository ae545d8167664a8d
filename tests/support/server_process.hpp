#pragma once
// Test support: runs the real poolbench-server binary as a child process on
// 127.0.0.1, port 0, and learns its port from the "listening on" line.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::testing {

class server_process {
 public:
  // Starts `binary --address 127.0.0.1 --port 0 <args...>` and waits (at most
  // `ready_timeout`) for its "listening on http://127.0.0.1:PORT" line.
  // Throws std::runtime_error if it exits or stays silent.
  explicit server_process(const std::string& binary, const std::vector<std::string>& args = {},
                          std::chrono::milliseconds ready_timeout = std::chrono::seconds(20));
  ~server_process();  // SIGKILL + reap if still running
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] std::string url() const;

  // Sends `signal` and waits for exit (SIGKILL after `timeout`). Returns the
  // exit code, or 128+signal if it died by a signal.
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
};

// Runs a program to completion with a time bound; captures stdout and stderr.
struct run_result {
  int exit_code = -1;  // 128+signal if killed
  std::string out;
  std::string err;
};
run_result run_program(const std::string& binary, const std::vector<std::string>& args,
                       std::chrono::milliseconds timeout = std::chrono::seconds(60));

// True while a process with this pid exists (and is not a zombie of ours).
bool process_exists(pid_t pid);

}  // namespace poolbench::testing
