#pragma once
// Test support: the line poolbench prints on stderr when it starts its
// embedded server ("poolbench: started poolbench-server (pid N) at URL"),
// which is how a test finds the server's pid.

#include <sys/types.h>

#include <chrono>
#include <string>

namespace poolbench::testing {

// The pid of that line in `stderr_text`, or -1 while the line is not complete.
[[nodiscard]] pid_t embedded_server_pid(const std::string& stderr_text);

// Reads `err_fd` into `err` until that line is there, the program closes its
// stderr, or `timeout` passes; the pid, or -1.
[[nodiscard]] pid_t read_until_embedded_server(int err_fd, std::string& err,
                                               std::chrono::milliseconds timeout);

}  // namespace poolbench::testing
