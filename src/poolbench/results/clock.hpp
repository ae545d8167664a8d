#pragma once
// The one clock of every latency: CLOCK_MONOTONIC through steady_clock,
// shared by all processes on the machine, so fork()ed workers can report
// times the parent compares with its own.

#include <chrono>
#include <cstdint>

namespace poolbench::results {

[[nodiscard]] inline std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace poolbench::results
