#pragma once
// Idle CPUs that poll instead of halting, for as long as a run holds them.
//
// A CPU with nothing to run enters an idle state, and waking it for the next
// request costs that state's exit latency. In a VM a halted vCPU is handed
// back to the host, so the wake-up is the host's to give: the noise check's
// ping-pong read 4.8 us in one run and 38-47 us an hour later on the same
// 2-core VM. The kernel's PM QoS interface takes a wake-up latency bound
// from a process for as long as it keeps /dev/cpu_dma_latency open; 0 keeps
// idle CPUs in the polling state. The request ends when the descriptor
// closes, with the process however it ends, so a crash leaves nothing
// changed. Polling idle time is still idle time in /proc/stat: the CPU
// counters (client_busy, other_cpus) read the same.
//
// Measured, not the default (docs/noise.md, "Idle CPUs that poll"): it
// fixed the wake-up at 5.7 us but not the repetition CV, which a slower
// state of the machine sets.

#include <string>
#include <string_view>
#include <utility>

namespace poolbench::runner {

// --cpu-idle: os (leave the idle states alone, the default), poll (refused
// when it cannot be had), auto (poll when it can be had, else os with a note).
enum class cpu_idle_choice { automatic, poll, os };

// "auto", "poll" or "os"; throws std::invalid_argument otherwise.
[[nodiscard]] cpu_idle_choice parse_cpu_idle_choice(std::string_view text);

// Holds the request that `choice` makes, until destroyed.
class cpu_idle_hold {
 public:
  // Throws std::invalid_argument (one line) when poll was asked for and
  // `device` cannot take the request. `device` is a parameter for tests.
  explicit cpu_idle_hold(cpu_idle_choice choice,
                         const std::string& device = "/dev/cpu_dma_latency");
  ~cpu_idle_hold();
  // Movable (the request goes with the descriptor), not assignable.
  cpu_idle_hold(cpu_idle_hold&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), reason_(std::move(other.reason_)) {}
  cpu_idle_hold(const cpu_idle_hold&) = delete;
  cpu_idle_hold& operator=(const cpu_idle_hold&) = delete;
  cpu_idle_hold& operator=(cpu_idle_hold&&) = delete;

  [[nodiscard]] bool polling() const { return fd_ >= 0; }
  // "poll" or "os": the result file's cpu_idle.
  [[nodiscard]] std::string_view mode() const { return polling() ? "poll" : "os"; }
  // One line: why (cpu_idle_reason), e.g. "cannot open /dev/cpu_dma_latency:
  // Permission denied (needs root)".
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  int fd_ = -1;
  std::string reason_;
};

}  // namespace poolbench::runner
