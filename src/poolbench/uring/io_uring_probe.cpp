#include <poolbench/uring/io_uring_probe.hpp>

#include <liburing.h>

#include <cstring>
#include <fstream>

namespace poolbench::uring {

std::optional<std::string> io_uring_refusal(const std::string& disabled_path) {
  // 2 is said as such; the ring set-up below finds out about 1 for this
  // process, and about a seccomp profile.
  if (std::ifstream in(disabled_path); in) {
    int disabled = 0;
    if (in >> disabled && disabled == 2)
      return "io_uring is disabled (" + disabled_path + " is 2)";
  }
  io_uring ring{};
  if (const int rc = ::io_uring_queue_init(2, &ring, 0); rc < 0)
    return std::string("io_uring_queue_init failed: ") + std::strerror(-rc);
  ::io_uring_queue_exit(&ring);
  return std::nullopt;
}

}  // namespace poolbench::uring
