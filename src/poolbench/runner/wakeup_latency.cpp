#include <poolbench/runner/wakeup_latency.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

namespace poolbench::runner {
namespace {

// A pipe whose ends close on every exit path.
struct pipe_pair {
  int read_end = -1;
  int write_end = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
      return false;
    read_end = fds[0];
    write_end = fds[1];
    return true;
  }
  ~pipe_pair() {
    if (read_end >= 0)
      ::close(read_end);
    if (write_end >= 0)
      ::close(write_end);
  }
};

bool bounce(int to, int from) {
  char byte = 'x';
  if (::write(to, &byte, 1) != 1)
    return false;
  return ::read(from, &byte, 1) == 1;
}

}  // namespace

std::optional<double> measure_wakeup_round_trip(std::size_t round_trips) {
  constexpr std::size_t untimed = 50;  // the other thread's first wake-ups, caches
  pipe_pair ping, pong;
  if (round_trips == 0 || !ping.open() || !pong.open())
    return std::nullopt;
  const std::size_t total = untimed + round_trips;
  std::thread echo;
  try {
    echo = std::thread([&] {
      char byte = 0;
      for (std::size_t i = 0; i < total; ++i) {
        if (::read(ping.read_end, &byte, 1) != 1 || ::write(pong.write_end, &byte, 1) != 1)
          return;
      }
    });
  } catch (const std::system_error&) {
    return std::nullopt;
  }
  std::vector<double> times;
  times.reserve(round_trips);
  bool ok = true;
  for (std::size_t i = 0; i < total && ok; ++i) {
    const auto start = std::chrono::steady_clock::now();
    ok = bounce(ping.write_end, pong.read_end);
    if (i >= untimed)
      times.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  if (!ok)
    ::close(std::exchange(ping.write_end, -1));  // the echo thread's read ends
  echo.join();
  if (!ok || times.empty())
    return std::nullopt;
  std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2),
                   times.end());
  return times[times.size() / 2];
}

}  // namespace poolbench::runner
