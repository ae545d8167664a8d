// The floor on epoll: the least a client can do for one round, as a
// measuring stick for the pools (not a fourth executor). Non-blocking sockets
// and epoll straight on the kernel, no pool, no Asio, one prebuilt request
// per name, the same response check as every strategy. It keeps as many
// requests in flight as the case has workers (its lanes), never more: a pool
// of W workers is measured against the least a client can do with W requests
// in flight, so a pool can beat its floor only by noise. Each lane takes the
// next name of the batch when its answer is in; fresh connections (one per
// request, closed by the answer) or keep-alive (one per lane, reused across
// rounds, as a pool's worker reuses its client). floor_uring_strategy.cpp is
// the same client on io_uring; floor_backend.cpp picks which one serves.

#include <poolbench/runner/floor_backend.hpp>
#include <poolbench/runner/floor_support.hpp>

#include <poolbench/results/clock.hpp>

#include <poolbench/http/request_error.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

namespace poolbench::runner {
namespace {

using kind = http::request_error::kind;

using floor_support::slot;

// One request in flight at a time, on its own connection.
struct lane {
  int fd = -1;
  bool reused = false;  // a keep-alive connection from an earlier request
  bool busy = false;
  std::size_t slot = 0;  // the request it carries, while busy
  std::size_t sent = 0;
  std::string in;
};

class floor_strategy final : public floor_support::floor_loop<floor_strategy, lane> {
 public:
  floor_strategy(const bench_case& c, const http::url& server, const http::client_options& options)
      : floor_loop(c, server, options),
        timeout_ms_(static_cast<int>(options.read_timeout.count())) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0)
      throw std::system_error(errno, std::generic_category(), "floor: epoll_create1");
    registered_.assign(lanes_.size(), false);
  }

  ~floor_strategy() override {
    for (auto& l : lanes_)
      close_connection(l);
    ::close(epoll_);
  }
  floor_strategy(const floor_strategy&) = delete;
  floor_strategy& operator=(const floor_strategy&) = delete;

 private:
  friend floor_loop;

  // A failed round leaves no half-read connection behind.
  void abandon() noexcept {
    for (auto& l : lanes_) {
      l.busy = false;
      close_connection(l);
    }
  }

  // Lane `i` sends the request of slot `k`, on its kept connection or a new one.
  void start(std::size_t i, std::size_t k) {
    auto& l = lanes_[i];
    l.busy = true;
    l.slot = k;
    l.sent = 0;
    l.in.clear();
    slots_[k].start_ns = results::steady_now_ns();
    l.reused = l.fd >= 0;
    if (l.fd < 0)
      connect(l);
    watch(i, EPOLLOUT | EPOLLIN);
  }

  void connect(lane& l) {
    const auto& url = slots_[l.slot].url;
    l.fd = ::socket(endpoint_.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (l.fd < 0)
      throw http::request_error(kind::cannot_connect, url, std::strerror(errno));
    const int one = 1;
    ::setsockopt(l.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(l.fd, reinterpret_cast<const sockaddr*>(&endpoint_.address), endpoint_.length) !=
            0 &&
        errno != EINPROGRESS) {
      throw http::request_error(kind::cannot_connect, url, std::strerror(errno));
    }
  }

  void watch(std::size_t i, std::uint32_t events) {
    auto& l = lanes_[i];
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = i;
    const int op = registered_[i] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (::epoll_ctl(epoll_, op, l.fd, &ev) != 0)
      throw std::system_error(errno, std::generic_category(), "floor: epoll_ctl");
    registered_[i] = true;
  }

  void close_connection(lane& l) {
    if (l.fd < 0)
      return;
    ::close(l.fd);  // also leaves the epoll set
    l.fd = -1;
    registered_[static_cast<std::size_t>(&l - lanes_.data())] = false;
  }

  void wait_for_all() {
    std::size_t left = slots_.size();
    epoll_event events[64];
    while (left > 0) {
      const int n = ::epoll_wait(epoll_, events, 64, timeout_ms_);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        for (const auto& l : lanes_) {
          if (l.busy)
            throw http::request_error(
                kind::timeout, slots_[l.slot].url,
                "no complete answer within " + std::to_string(timeout_ms_) + " ms");
        }
      }
      for (int k = 0; k < n; ++k) {
        const auto i = static_cast<std::size_t>(events[k].data.u64);
        if (!lanes_[i].busy) {
          // An idle keep-alive connection the server closed: epoll reports
          // a hang-up whatever it watches, so close it rather than spin.
          if ((events[k].events & (EPOLLHUP | EPOLLERR)) != 0)
            close_connection(lanes_[i]);
          continue;
        }
        if (!on_ready(i, events[k].events))
          continue;
        --left;
        if (next_ < slots_.size())
          start(i, next_++);  // the lane's next request: never more in flight than lanes
      }
    }
  }

  // Progress on one lane; true when its answer is complete and checked.
  bool on_ready(std::size_t i, std::uint32_t events) {
    auto& l = lanes_[i];
    auto& s = slots_[l.slot];
    if (l.sent < s.request.size() && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0) {
      const ssize_t n =
          ::send(l.fd, s.request.data() + l.sent, s.request.size() - l.sent, MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN)
        return retry_or_fail(i, std::strerror(errno));
      if (n > 0)
        l.sent += static_cast<std::size_t>(n);
      if (l.sent == s.request.size())
        watch(i, EPOLLIN);
    }
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0 || l.sent < s.request.size())
      return false;
    char buffer[4096];
    bool closed = false;
    for (;;) {
      const ssize_t n = ::recv(l.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        l.in.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EAGAIN)
        break;
      if (n < 0)
        return retry_or_fail(i, std::strerror(errno));
      if (l.in.empty())  // closed before answering
        return retry_or_fail(i, "connection closed before an answer");
      closed = true;  // after (part of) an answer: parsed below
      break;
    }
    unsigned status = 0;
    if (!floor_support::parse_response(l.in, s.url, status, s.body)) {
      if (closed)
        throw http::request_error(kind::io, s.url, "truncated answer");
      return false;
    }
    floor_support::check_answer(expect_, s, status);
    s.done_ns = results::steady_now_ns();
    l.busy = false;
    if (keepalive_ && !closed) {
      watch(i, 0);  // idle until the lane's next request
    } else {
      close_connection(l);
    }
    return true;
  }

  // A reused keep-alive connection the server closed while idle is opened
  // again once, as every client does; anything else fails the round.
  bool retry_or_fail(std::size_t i, const std::string& why) {
    auto& l = lanes_[i];
    if (!l.reused)
      throw http::request_error(kind::io, slots_[l.slot].url, why);
    close_connection(l);
    l.reused = false;
    l.sent = 0;
    l.in.clear();
    connect(l);
    watch(i, EPOLLOUT | EPOLLIN);
    return false;
  }

  int timeout_ms_;
  int epoll_ = -1;
  std::vector<bool> registered_;  // per lane: its fd is in the epoll set
};

}  // namespace

std::unique_ptr<client_strategy> make_floor_epoll_strategy(const bench_case& c,
                                                           const http::url& server,
                                                           const http::client_options& options) {
  return std::make_unique<floor_strategy>(c, server, options);
}

}  // namespace poolbench::runner
