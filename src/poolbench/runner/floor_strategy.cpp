// The floor: the least a client can do for one round, as a measuring stick
// for the pools (not a fourth executor). Non-blocking sockets and epoll
// straight on the kernel, no pool, no Asio, one prebuilt request per name,
// the same response check as every strategy. It keeps as many requests in
// flight as the case has workers (its lanes), never more: a pool of W
// workers is measured against the least a client can do with W requests in
// flight, so a pool can beat its floor only by noise. Each lane takes the
// next name of the batch when its answer is in; fresh connections (one per
// request, closed by the answer) or keep-alive (one per lane, reused across
// rounds, as a pool's worker reuses its client).

#include <poolbench/runner/strategies.hpp>

#include <poolbench/results/clock.hpp>

#include <poolbench/http/request_error.hpp>
#include <poolbench/http/response_check.hpp>
#include <poolbench/http/retry_policy.hpp>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

namespace poolbench::runner {
namespace {

using kind = http::request_error::kind;

// One name's request and, once a round has run it, its outcome.
struct slot {
  std::string name;
  std::string url;      // for error messages: "http://host:port/target"
  std::string request;  // prebuilt bytes
  std::int64_t start_ns = 0;
  std::int64_t done_ns = 0;
  std::string body;  // the checked body, once done
};

// One request in flight at a time, on its own connection.
struct lane {
  int fd = -1;
  bool reused = false;  // a keep-alive connection from an earlier request
  bool busy = false;
  std::size_t slot = 0;  // the request it carries, while busy
  std::size_t sent = 0;
  std::string in;
};

// A complete HTTP/1.1 answer at the front of `in`: its status and body, or
// nothing yet. Throws on what is not HTTP.
bool parse_response(const std::string& in, const std::string& url, unsigned& status,
                    std::string& body) {
  const auto end = in.find("\r\n\r\n");
  if (end == std::string::npos)
    return false;
  if (in.compare(0, 9, "HTTP/1.1 ") != 0 && in.compare(0, 9, "HTTP/1.0 ") != 0)
    throw http::request_error(kind::io, url, "not an HTTP answer");
  status = static_cast<unsigned>(std::atoi(in.c_str() + 9));
  std::size_t length = std::string::npos;
  for (std::size_t line = in.find("\r\n") + 2; line < end;) {
    const auto next = in.find("\r\n", line);
    if (strncasecmp(in.c_str() + line, "content-length:", 15) == 0)
      length = std::strtoul(in.c_str() + line + 15, nullptr, 10);
    line = next + 2;
  }
  if (length == std::string::npos)
    throw http::request_error(kind::io, url, "answer without Content-Length");
  if (in.size() < end + 4 + length)
    return false;
  body = in.substr(end + 4, length);
  return true;
}

class floor_strategy final : public client_strategy {
 public:
  floor_strategy(const bench_case& c, const http::url& server, const http::client_options& options)
      : keepalive_(c.keep_alive()),
        timeout_ms_(static_cast<int>(options.read_timeout.count())),
        expect_(options.expect) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(server.port);
    if (::getaddrinfo(server.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr)
      throw http::request_error(kind::cannot_connect, server.to_string(), "cannot resolve host");
    std::memcpy(&address_, found->ai_addr, found->ai_addrlen);
    address_length_ = found->ai_addrlen;
    family_ = found->ai_family;
    ::freeaddrinfo(found);

    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0)
      throw std::system_error(errno, std::generic_category(), "floor: epoll_create1");
    for (const auto& name : c.names) {
      slot s;
      s.name = name;
      const std::string target = server.hello_target(name, c.delay_ms);
      s.url = "http://" + server.authority() + target;
      s.request = "GET " + target + " HTTP/1.1\r\nHost: " + server.authority() + "\r\n" +
                  (keepalive_ ? "" : "Connection: close\r\n") + "\r\n";
      slots_.push_back(std::move(s));
    }
    lanes_.resize(std::clamp<std::size_t>(c.workers, 1, std::max<std::size_t>(slots_.size(), 1)));
    registered_.assign(lanes_.size(), false);
  }

  ~floor_strategy() override {
    for (auto& l : lanes_)
      close_connection(l);
    ::close(epoll_);
  }
  floor_strategy(const floor_strategy&) = delete;
  floor_strategy& operator=(const floor_strategy&) = delete;

  round_result run_round() override {
    round_result result;
    result.reserve(slots_.size());
    const auto submit = results::steady_now_ns();
    next_ = 0;
    try {
      for (std::size_t i = 0; i < lanes_.size() && next_ < slots_.size(); ++i)
        start(i, next_++);
      wait_for_all();
    } catch (...) {
      for (auto& l : lanes_) {
        l.busy = false;
        close_connection(l);  // a failed round leaves no half-read connection behind
      }
      throw;
    }
    result.attempts = slots_.size();  // one answer each: the floor never retries
    for (auto& s : slots_) {
      result.bodies.push_back(std::move(s.body));
      result.queue.push_back(static_cast<double>(s.start_ns - submit) * 1e-9);
      result.service.push_back(static_cast<double>(s.done_ns - s.start_ns) * 1e-9);
    }
    return result;
  }

 private:
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
    l.fd = ::socket(family_, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (l.fd < 0)
      throw http::request_error(kind::cannot_connect, url, std::strerror(errno));
    const int one = 1;
    ::setsockopt(l.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(l.fd, reinterpret_cast<const sockaddr*>(&address_), address_length_) != 0 &&
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
    if (!parse_response(l.in, s.url, status, s.body)) {
      if (closed)
        throw http::request_error(kind::io, s.url, "truncated answer");
      return false;
    }
    // The floor keeps the whole batch in flight and never waits: a backend's
    // refusal fails its round (as a refusal, not as a wrong answer).
    if (http::is_rejection(status))
      throw http::request_error(
          kind::rejected, s.url,
          "got " + std::to_string(status) + ": the floor does not retry a backend's refusals");
    expect_.check(s.url, s.name, status, s.body);
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

  bool keepalive_;
  int timeout_ms_;
  http::answer_check expect_;
  sockaddr_storage address_{};
  socklen_t address_length_ = 0;
  int family_ = AF_INET;
  int epoll_ = -1;
  std::vector<slot> slots_;
  std::vector<lane> lanes_;
  std::vector<bool> registered_;  // per lane: its fd is in the epoll set
  std::size_t next_ = 0;          // the next slot a free lane takes, in a round
};

}  // namespace

std::unique_ptr<client_strategy> make_floor_strategy(const bench_case& c, const http::url& server,
                                                     const http::client_options& options) {
  return std::make_unique<floor_strategy>(c, server, options);
}

}  // namespace poolbench::runner
