#include <poolbench/runner/server_backend.hpp>

#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <string_view>

namespace poolbench::runner {

std::string event_backend_of(pid_t pid) {
  if (pid <= 0)
    return "unknown";
  const std::string fds = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = opendir(fds.c_str());
  if (dir == nullptr)
    return "unknown";
  bool epoll = false, ring = false;
  while (const dirent* entry = readdir(dir)) {
    char target[PATH_MAX];
    const std::string link = fds + "/" + entry->d_name;
    const ssize_t n = readlink(link.c_str(), target, sizeof target);
    if (n <= 0)
      continue;  // "." and "..", or a descriptor closed meanwhile
    const std::string_view name(target, static_cast<std::size_t>(n));
    epoll = epoll || name == "anon_inode:[eventpoll]";
    ring = ring || name == "anon_inode:[io_uring]";
  }
  closedir(dir);
  if (epoll != ring)
    return epoll ? "epoll" : "io_uring";
  return "unknown";
}

}  // namespace poolbench::runner
