#include <poolbench/runner/test_events.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace poolbench::runner {
namespace {

// Read once. The descriptor is made close-on-exec so that the embedded
// server and anything else poolbench executes never hold the test's pipe
// open (forked pool workers do, but never write to it).
int event_fd() {
  static const int fd = [] {
    const char* text = std::getenv("POOLBENCH_EVENT_FD");
    if (text == nullptr || *text == '\0')
      return -1;
    char* end = nullptr;
    const long n = std::strtol(text, &end, 10);
    if (*end != '\0' || n < 0 || n > 65535 || fcntl(static_cast<int>(n), F_GETFD) < 0)
      return -1;
    fcntl(static_cast<int>(n), F_SETFD, FD_CLOEXEC);
    return static_cast<int>(n);
  }();
  return fd;
}

}  // namespace

void announce_test_event(std::string_view line) noexcept {
  const int fd = event_fd();
  if (fd < 0)
    return;
  try {
    std::string text(line);
    text += '\n';
    // One write: a pipe write of at most PIPE_BUF bytes is atomic.
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      done += static_cast<std::size_t>(n);
    }
  } catch (...) {  // allocation: the event is lost, the run goes on
  }
}

}  // namespace poolbench::runner
