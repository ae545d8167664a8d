#include <poolbench/runner/cpu_idle.hpp>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace poolbench::runner {

cpu_idle_choice parse_cpu_idle_choice(std::string_view text) {
  if (text == "auto")
    return cpu_idle_choice::automatic;
  if (text == "poll")
    return cpu_idle_choice::poll;
  if (text == "os")
    return cpu_idle_choice::os;
  throw std::invalid_argument("--cpu-idle: expected auto, poll or os, got '" + std::string(text) +
                              "'");
}

cpu_idle_hold::cpu_idle_hold(cpu_idle_choice choice, const std::string& device) {
  if (choice == cpu_idle_choice::os) {
    reason_ = "left as they are (--cpu-idle os)";
    return;
  }
  std::string failure;
  const int fd = ::open(device.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;  // before the strings below allocate
    failure = "cannot open " + device + ": " + std::strerror(error) +
              (error == EACCES || error == EPERM ? " (needs root)" : "");
  } else {
    // The device takes the bound as a binary 32-bit value, in microseconds.
    const std::int32_t bound_us = 0;
    if (::write(fd, &bound_us, sizeof bound_us) != static_cast<ssize_t>(sizeof bound_us)) {
      const int error = errno;
      ::close(fd);
      failure = "cannot write " + device + ": " + std::strerror(error);
    } else {
      fd_ = fd;
      reason_ = device + " held at 0 us for the run";
      return;
    }
  }
  if (choice == cpu_idle_choice::poll)
    throw std::invalid_argument("--cpu-idle poll: " + failure);
  reason_ = failure;
}

cpu_idle_hold::~cpu_idle_hold() {
  if (fd_ >= 0)
    ::close(fd_);  // the kernel drops the request with the descriptor
}

}  // namespace poolbench::runner
