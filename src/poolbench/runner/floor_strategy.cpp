// The floor: the least a client can do for one round, as a measuring stick
// for the pools (not a fourth executor). Non-blocking sockets and epoll
// straight on the kernel, no pool, no Asio, every request of the batch in
// flight at once, one prebuilt request per name, the same response check as
// every strategy. Fresh connections (one per request, closed by the answer)
// or keep-alive (one per name, reused across rounds).

#include <poolbench/runner/strategies.hpp>

#include <poolbench/results/clock.hpp>

#include <poolbench/http/request_error.hpp>
#include <poolbench/http/response_check.hpp>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

namespace poolbench::runner {
namespace {

using kind = http::request_error::kind;

// One name's request and, while a round runs, its connection's progress.
struct slot {
  std::string name;
  std::string url;      // for error messages: "http://host:port/target"
  std::string request;  // prebuilt bytes
  int fd = -1;
  bool reused = false;  // a keep-alive connection from an earlier round
  std::size_t sent = 0;
  std::string in;
  std::int64_t start_ns = 0;
  std::int64_t done_ns = 0;
  bool done = false;
  std::string body;  // the checked body, once done
};

// A complete HTTP/1.1 answer at the front of `in`: its status and body, or
// nothing yet. Throws on what is not HTTP.
bool parse_response(const slot& s, unsigned& status, std::string& body) {
  const auto end = s.in.find("\r\n\r\n");
  if (end == std::string::npos)
    return false;
  if (s.in.compare(0, 9, "HTTP/1.1 ") != 0 && s.in.compare(0, 9, "HTTP/1.0 ") != 0)
    throw http::request_error(kind::io, s.url, "not an HTTP answer");
  status = static_cast<unsigned>(std::atoi(s.in.c_str() + 9));
  std::size_t length = std::string::npos;
  for (std::size_t line = s.in.find("\r\n") + 2; line < end;) {
    const auto next = s.in.find("\r\n", line);
    if (strncasecmp(s.in.c_str() + line, "content-length:", 15) == 0)
      length = std::strtoul(s.in.c_str() + line + 15, nullptr, 10);
    line = next + 2;
  }
  if (length == std::string::npos)
    throw http::request_error(kind::io, s.url, "answer without Content-Length");
  if (s.in.size() < end + 4 + length)
    return false;
  body = s.in.substr(end + 4, length);
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
    registered_.assign(slots_.size(), false);
  }

  ~floor_strategy() override {
    for (auto& s : slots_)
      close_connection(s);
    ::close(epoll_);
  }
  floor_strategy(const floor_strategy&) = delete;
  floor_strategy& operator=(const floor_strategy&) = delete;

  round_result run_round() override {
    round_result result;
    result.reserve(slots_.size());
    const auto submit = results::steady_now_ns();
    try {
      for (std::size_t i = 0; i < slots_.size(); ++i)
        start(i);
      wait_for_all();
    } catch (...) {
      for (auto& s : slots_)
        close_connection(s);  // a failed round leaves no half-read connection behind
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
  void start(std::size_t i) {
    auto& s = slots_[i];
    s.sent = 0;
    s.in.clear();
    s.done = false;
    s.start_ns = results::steady_now_ns();
    s.reused = s.fd >= 0;
    if (s.fd < 0)
      connect(s);
    watch(i, EPOLLOUT | EPOLLIN);
  }

  void connect(slot& s) {
    s.fd = ::socket(family_, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s.fd < 0)
      throw http::request_error(kind::cannot_connect, s.url, std::strerror(errno));
    const int one = 1;
    ::setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&address_), address_length_) != 0 &&
        errno != EINPROGRESS) {
      throw http::request_error(kind::cannot_connect, s.url, std::strerror(errno));
    }
  }

  void watch(std::size_t i, std::uint32_t events) {
    auto& s = slots_[i];
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = i;
    const int op = registered_[i] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (::epoll_ctl(epoll_, op, s.fd, &ev) != 0)
      throw std::system_error(errno, std::generic_category(), "floor: epoll_ctl");
    registered_[i] = true;
  }

  void close_connection(slot& s) {
    if (s.fd < 0)
      return;
    ::close(s.fd);  // also leaves the epoll set
    s.fd = -1;
    registered_[&s - slots_.data()] = false;
  }

  void wait_for_all() {
    std::size_t left = slots_.size();
    epoll_event events[64];
    while (left > 0) {
      const int n = ::epoll_wait(epoll_, events, 64, timeout_ms_);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        for (const auto& s : slots_) {
          if (!s.done)
            throw http::request_error(
                kind::timeout, s.url,
                "no complete answer within " + std::to_string(timeout_ms_) + " ms");
        }
      }
      for (int k = 0; k < n; ++k) {
        const auto i = static_cast<std::size_t>(events[k].data.u64);
        if (!slots_[i].done && on_ready(i, events[k].events))
          --left;
      }
    }
  }

  // Progress on one connection; true when its answer is complete and checked.
  bool on_ready(std::size_t i, std::uint32_t events) {
    auto& s = slots_[i];
    if (s.sent < s.request.size() && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0) {
      const ssize_t n =
          ::send(s.fd, s.request.data() + s.sent, s.request.size() - s.sent, MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN)
        return retry_or_fail(i, std::strerror(errno));
      if (n > 0)
        s.sent += static_cast<std::size_t>(n);
      if (s.sent == s.request.size())
        watch(i, EPOLLIN);
    }
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) == 0 || s.sent < s.request.size())
      return false;
    char buffer[4096];
    bool closed = false;
    for (;;) {
      const ssize_t n = ::recv(s.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        s.in.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EAGAIN)
        break;
      if (n < 0)
        return retry_or_fail(i, std::strerror(errno));
      if (s.in.empty())  // closed before answering
        return retry_or_fail(i, "connection closed before an answer");
      closed = true;  // after (part of) an answer: parsed below
      break;
    }
    unsigned status = 0;
    if (!parse_response(s, status, s.body)) {
      if (closed)
        throw http::request_error(kind::io, s.url, "truncated answer");
      return false;
    }
    // The floor does not retry a 429 or 503: the check fails on it.
    expect_.check(s.url, s.name, status, s.body);
    s.done_ns = results::steady_now_ns();
    s.done = true;
    if (keepalive_) {
      watch(i, 0);  // idle until the next round
    } else {
      close_connection(s);
    }
    return true;
  }

  // A reused keep-alive connection the server closed while idle is opened
  // again once, as every client does; anything else fails the round.
  bool retry_or_fail(std::size_t i, const std::string& why) {
    auto& s = slots_[i];
    if (!s.reused)
      throw http::request_error(kind::io, s.url, why);
    close_connection(s);
    s.reused = false;
    s.sent = 0;
    s.in.clear();
    connect(s);
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
  std::vector<bool> registered_;
};

}  // namespace

std::unique_ptr<client_strategy> make_floor_strategy(const bench_case& c, const http::url& server,
                                                     const http::client_options& options) {
  return std::make_unique<floor_strategy>(c, server, options);
}

}  // namespace poolbench::runner
