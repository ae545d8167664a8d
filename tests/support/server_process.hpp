#pragma once
// Test support: runs the real poolbench-server binary as a child process on
// 127.0.0.1, port 0, and learns its port from the "listening on" line.
//
// The server's stderr is collected (and echoed to the test's stderr) when it
// stops: a sanitizer report from the server fails the running test, as does
// a non-zero exit when the destructor stops it gracefully. Without this a
// race inside the spawned server would pass every test that uses it. No
// reader thread: the process pool's fork-safety check refuses to fork in a
// test process with other threads; the pipe is enlarged instead, so a server
// is not blocked writing stderr between stops.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::testing {

// True if `text` holds an AddressSanitizer, ThreadSanitizer or
// UndefinedBehaviorSanitizer report.
[[nodiscard]] bool has_sanitizer_report(std::string_view text);

class server_process {
 public:
  // Starts `binary --address 127.0.0.1 --port 0 <args...>` and waits (at most
  // `ready_timeout`) for its "listening on http://127.0.0.1:PORT" line.
  // Throws std::runtime_error if it exits or stays silent.
  explicit server_process(const std::string& binary, const std::vector<std::string>& args = {},
                          std::chrono::milliseconds ready_timeout = std::chrono::seconds(20));
  // If still running: SIGTERM, wait (20 s, then SIGKILL), and fail the test
  // unless it exited 0. A sanitizer report on its stderr fails the test at
  // any stop.
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] std::string url() const;

  // Sends `signal` (0: none, just wait) and waits for exit (SIGKILL after
  // `timeout`). Returns the exit code, or 128+signal if it died by a signal.
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // What the server wrote to stderr so far (all of it once stopped).
  [[nodiscard]] std::string stderr_text();

 private:
  void drain_stderr();  // reads what is waiting, never blocks

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string stderr_;
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
