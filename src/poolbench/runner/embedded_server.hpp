#pragma once
// The embedded default server: poolbench-server started as a child process
// (never a thread: the process pool forks, and forking a process that runs
// server threads is unsafe) on 127.0.0.1, port 0.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace poolbench::runner {

class embedded_server {
 public:
  // Starts `binary --address 127.0.0.1 --port 0 --threads N --io-model M`
  // (`io_model`: shared or reuseport, as poolbench-server takes it), then
  // `extra_args` (a backend model, the stats path) and waits
  // at most `ready_timeout` for its "listening on http://..." line. Throws
  // std::runtime_error (the child is stopped and reaped first) otherwise.
  // With `cpus`, the server is pinned to those CPUs (sched_setaffinity).
  embedded_server(const std::string& binary, std::size_t threads, const std::vector<int>& cpus = {},
                  const std::string& io_model = "shared",
                  std::chrono::milliseconds ready_timeout = std::chrono::seconds(10),
                  const std::vector<std::string>& extra_args = {});
  ~embedded_server();  // stop()
  embedded_server(const embedded_server&) = delete;
  embedded_server& operator=(const embedded_server&) = delete;

  [[nodiscard]] const std::string& url() const noexcept { return url_; }
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

  // SIGTERM, wait (at most 10 s, then SIGKILL), reap. Idempotent.
  void stop() noexcept;

 private:
  pid_t pid_ = -1;
  std::string url_;
};

// poolbench-server next to the running executable (/proc/self/exe), as
// poolbench finds it in its build tree and its install; when there is none
// there (a program of one's own on an installed poolbench: run_main.hpp),
// the installed one set below, if any.
[[nodiscard]] std::string server_binary_next_to_self();
void set_installed_server_binary(std::string path);

// Makes SIGINT, SIGTERM, SIGHUP and the crash signals (SIGABRT, SIGSEGV,
// SIGBUS, SIGFPE) remove every scratch file (scratch_file.hpp) and stop and
// reap the child named by stop_child_on_signal, async-signal-safely, before
// this process dies of the signal. Forked children ignore it.
void clean_up_on_fatal_signals();

// The child those signals stop (arming the handlers if needed); -1: none.
void stop_child_on_signal(pid_t pid);

}  // namespace poolbench::runner
