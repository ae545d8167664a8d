#include "event_stream.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace poolbench::testing {

std::string event_stream::wait_for(std::string_view prefix, std::chrono::milliseconds timeout) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + timeout;
  for (;;) {
    for (auto end = text_.find('\n', next_); end != std::string::npos;
         end = text_.find('\n', next_)) {
      std::string line = text_.substr(next_, end - next_);
      next_ = end + 1;
      if (line.rfind(prefix, 0) == 0)
        return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    if (left <= 0)
      return "";
    pollfd p{fd_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0)
      return "";
    char buf[512];
    const ssize_t n = read(fd_, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n <= 0)
      return "";  // closed: the program (and every child holding it) is gone
    text_.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace poolbench::testing
