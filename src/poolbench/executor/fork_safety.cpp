#include <poolbench/executor/detail/fork_safety.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

namespace poolbench::detail {

namespace {

// include/linux/sched.h: set by do_exit() before the thread releases its
// memory and wakes a joiner; a task with it never returns to user code.
constexpr unsigned long pf_exiting = 0x00000004;

enum class task_state { live, exiting, gone };

// Reads /proc/self/task/<tid>/stat. Field 9 is the task's flags; the command
// name before it may hold spaces and ')', so parsing starts after the last
// ')'. Anything unreadable but present counts as live (refuse rather than
// risk a fork).
task_state read_task_state(const char* tid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/self/task/%s/stat", tid);
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return errno == ENOENT || errno == ESRCH ? task_state::gone : task_state::live;
  }
  char buf[1024];
  const ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) {
    return n < 0 && errno == ESRCH ? task_state::gone : task_state::live;
  }
  buf[n] = '\0';
  const char* end_of_name = std::strrchr(buf, ')');
  char state = 0;
  int ppid = 0;
  int pgrp = 0;
  int session = 0;
  int tty = 0;
  int tpgid = 0;
  unsigned long flags = 0;
  if (end_of_name == nullptr || std::sscanf(end_of_name + 1, " %c %d %d %d %d %d %lu", &state,
                                            &ppid, &pgrp, &session, &tty, &tpgid, &flags) != 7) {
    return task_state::live;
  }
  return (flags & pf_exiting) != 0 ? task_state::exiting : task_state::live;
}

}  // namespace

std::size_t live_threads() {
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) {
    return 1;
  }
  std::size_t n = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.' && read_task_state(entry->d_name) == task_state::live) {
      ++n;
    }
  }
  ::closedir(dir);
  return n;
}

std::size_t runtime_threads() noexcept {
#if defined(__SANITIZE_THREAD__)
  return 1;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
  return 1;
#else
  return 0;
#endif
#else
  return 0;
#endif
}

void require_single_thread() {
  const std::size_t threads = live_threads();
  if (threads > 1 + runtime_threads()) {
    throw std::logic_error(
        "process_pool_executor: the process already runs " + std::to_string(threads) +
        " threads; fork() is only safe before other threads start. Create the pool "
        "first, or set process_pool_options::allow_threads to accept the risk");
  }
}

}  // namespace poolbench::detail
