#pragma once
// Which kernel interface a running server's event loop waits on, read from
// the process itself rather than from which program poolbench meant to
// start: Asio's epoll reactor holds an epoll instance, its io_uring backend
// a ring (poolbench-server and poolbench-server-uring, server/CMakeLists.txt).

#include <sys/types.h>

#include <string>

namespace poolbench::runner {

// "epoll" if process `pid` holds an epoll instance and no io_uring ring,
// "io_uring" if it holds a ring and no epoll instance, "unknown" otherwise
// (both, neither, or its descriptors cannot be read). Its descriptors are
// named by /proc/PID/fd: "anon_inode:[eventpoll]", "anon_inode:[io_uring]".
[[nodiscard]] std::string event_backend_of(pid_t pid);

}  // namespace poolbench::runner
