#pragma once
// Test support: the lines poolbench writes to POOLBENCH_EVENT_FD (its
// testing hook, docs/developing.md), read from the pipe spawn() returns. A
// test waits for "timed " (the timed rounds of a case have begun) instead of
// sleeping and hoping the run got that far on a loaded machine.

#include <chrono>
#include <string>
#include <string_view>

namespace poolbench::testing {

class event_stream {
 public:
  explicit event_stream(int fd) : fd_(fd) {}
  // Waits (at most `timeout`) for a line starting with `prefix` that this
  // stream has not returned before, and returns it (without the newline);
  // "" on timeout or when the program closed the pipe (it exited).
  [[nodiscard]] std::string wait_for(std::string_view prefix, std::chrono::milliseconds timeout);
  // Every line read so far, for a failure message.
  [[nodiscard]] const std::string& seen() const { return text_; }

 private:
  int fd_;
  std::string text_;
  std::size_t next_ = 0;  // where the first line not yet looked at begins
};

}  // namespace poolbench::testing
