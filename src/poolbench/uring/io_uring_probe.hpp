#pragma once
// Whether this process may use io_uring, asked the one way both of its users
// ask: the floor's backend choice (runner/floor_backend.cpp) and the io_uring
// build of poolbench-server, which hands a refused run to the epoll build
// (server/main.cpp). Built only where liburing is (CMakeLists.txt beside).

#include <optional>
#include <string>

namespace poolbench::uring {

// The kernel's switch: 0 anyone may, 1 only members of kernel.io_uring_group,
// 2 nobody. Absent on kernels before 6.6.
inline constexpr const char* io_uring_disabled_path = "/proc/sys/kernel/io_uring_disabled";

// Why this process cannot use io_uring, in one line, or nothing when it can:
// `disabled_path` (the switch above) is read, then a small ring is set up and
// torn down. "io_uring is disabled (PATH is 2)" or "io_uring_queue_init
// failed: <strerror>" (a seccomp profile, or the switch at 1 for a process
// outside the group).
[[nodiscard]] std::optional<std::string> io_uring_refusal(
    const std::string& disabled_path = io_uring_disabled_path);

}  // namespace poolbench::uring
