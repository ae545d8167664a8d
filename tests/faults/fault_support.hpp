#pragma once
// Fault-test support: poolbench running in the background (so a test can
// inject a fault while it works), its process tree read from /proc, and a
// check that nothing it started outlives it.

#include "embedded_server_line.hpp"
#include "event_stream.hpp"

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::testing {

// A program started with stdout and stderr on pipes, read as it runs, and
// with poolbench's event descriptor (POOLBENCH_EVENT_FD) on a third.
// The destructor SIGKILLs and reaps it if it is still running.
class running_program {
 public:
  running_program(const std::string& binary, const std::vector<std::string>& args);
  ~running_program();
  running_program(const running_program&) = delete;
  running_program& operator=(const running_program&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  // Everything the program wrote so far (reads what is waiting, never blocks).
  [[nodiscard]] const std::string& err();
  [[nodiscard]] const std::string& out();
  // Waits (at most `timeout`) until stderr contains `text`.
  [[nodiscard]] bool wait_for_err(const std::string& text, std::chrono::milliseconds timeout);
  // Waits (at most `timeout`) for the next event line starting with
  // `prefix` ("timed ": the timed rounds of a case began) and returns it;
  // "" if it did not come in time or the program ended first.
  [[nodiscard]] std::string wait_for_event(const std::string& prefix,
                                           std::chrono::milliseconds timeout);
  // The event lines read so far, for a failure message.
  [[nodiscard]] const std::string& events() const { return events_.seen(); }
  // Waits (at most `timeout`) for the exit: the exit code, 128+signal if a
  // signal ended it, nullopt if it is still running.
  [[nodiscard]] std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  [[nodiscard]] bool exited() const { return exit_code_.has_value(); }
  void signal(int sig) const;

 private:
  void drain();

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int event_fd_ = -1;
  event_stream events_{-1};
  std::string out_;
  std::string err_;
  std::optional<int> exit_code_;
};

// The whole text of a file ("" when it cannot be read).
[[nodiscard]] std::string read_all(const std::string& path);

// Live (non-zombie) children of `parent`, from the ppid field of /proc/*/stat.
[[nodiscard]] std::vector<pid_t> children_of(pid_t parent);

// Waits (at most `timeout`) until no process with this pid runs (a zombie
// counts as gone). True when gone.
[[nodiscard]] bool gone_within(pid_t pid, std::chrono::milliseconds timeout);

// Makes this test process the reaper of orphaned descendants: whatever a
// program we ran leaves behind (a live worker, an unreaped zombie) becomes
// our child instead of init's, so a test can see it.
void become_subreaper();

// Children of this process other than `expected`: each described as
// "pid (state) cmdline", then killed and reaped so one test's leftover does
// not leak into the next. Empty means the program cleaned up after itself.
[[nodiscard]] std::vector<std::string> collect_leftovers(const std::vector<pid_t>& expected = {});

// The first line of an AddressSanitizer/LeakSanitizer/UBSan report in a
// program's stderr, or "" (sanitizer builds exit 1 too: the code alone would
// not tell a report from a failed case).
[[nodiscard]] std::string sanitizer_report(const std::string& stderr_text);

// stderr without poolbench's "the machine is busy" lines: on a loaded test
// machine the noise guard rightly says so, and that is not the error a
// fault test looks for.
[[nodiscard]] std::string without_busy_warnings(const std::string& stderr_text);
// Waits (at most `timeout`) for that line; -1 if it never came.
[[nodiscard]] pid_t wait_for_embedded_server(running_program& program,
                                             std::chrono::milliseconds timeout);

}  // namespace poolbench::testing
