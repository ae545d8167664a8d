// The floor on io_uring: the same client as the epoll floor
// (floor_strategy.cpp: the same lanes, requests, parser and check, never more
// requests in flight than the case's workers), asking the kernel another way.
// Each lane's request is one linked chain of operations (connect, send,
// receive on a new connection; send, receive on a kept one); the first wave
// of every lane goes to the kernel in one submission, and completions are
// reaped in batches, each batch's follow-ups (the next request of a lane
// whose answer came in, a receive for the rest of an answer, the close of a
// used connection) submitted together with the wait for the next batch. So a
// round costs about one system call per batch of completions, plus a
// socket() and a setsockopt() per new connection.

#include <poolbench/runner/floor_backend.hpp>

#if POOLBENCH_HAS_LIBURING

#include <poolbench/runner/floor_support.hpp>

#include <poolbench/results/clock.hpp>

#include <poolbench/http/request_error.hpp>

#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

namespace poolbench::runner {
namespace {

using kind = http::request_error::kind;
using floor_support::slot;

// What a completion is for: its user_data is (lane << 3) | op.
enum op : std::uint64_t { op_connect = 1, op_send, op_recv, op_close, op_cancel };

// One request in flight at a time, on its own connection.
struct lane {
  int fd = -1;
  bool reused = false;  // a keep-alive connection from an earlier request
  bool busy = false;
  bool answered = false;  // the answer is in; the lane ends when nothing is pending
  bool closed = false;    // the server ended the connection (after the answer)
  std::size_t slot = 0;   // the request it carries, while busy
  std::size_t sent = 0;
  unsigned pending = 0;  // completions of its own operations still to come
  std::string error;     // the first failure of the current request, if any
  std::string in;
  // An answer's bytes as they arrive (poolbench-server's hello answers are
  // about 150 bytes; longer ones take more receives). Small, since a case may
  // have thousands of lanes.
  std::array<char, 1024> buffer{};
};

// Capacity of the submission queue: every lane's first chain in one
// submission up to 256 lanes; past that the queue is submitted as it fills
// (a few more system calls per round, each for hundreds of requests).
unsigned ring_entries(std::size_t lanes) {
  return std::bit_ceil(static_cast<unsigned>(std::clamp<std::size_t>(4 * lanes, 8, 1024)));
}

class floor_uring_strategy final : public floor_support::floor_loop<floor_uring_strategy, lane> {
 public:
  floor_uring_strategy(const bench_case& c, const http::url& server,
                       const http::client_options& options)
      : floor_loop(c, server, options), timeout_ms_(options.read_timeout.count()) {
    io_uring_params params{};
    // Every operation can be outstanding at once (a chain and a close per
    // lane): the completion queue holds them all without overflowing.
    // (Past the kernel's maximum, CLAMP takes the maximum, and a completion
    // that does not fit waits in the kernel: not lost.)
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
    params.cq_entries = std::bit_ceil(
        static_cast<unsigned>(std::min<std::size_t>(4 * lanes_.size() + 16, 1u << 20)));
    if (const int rc = ::io_uring_queue_init_params(ring_entries(lanes_.size()), &ring_, &params);
        rc < 0) {
      throw std::system_error(-rc, std::generic_category(), "floor: io_uring_queue_init");
    }
  }

  ~floor_uring_strategy() override {
    abandon();
    ::io_uring_queue_exit(&ring_);
  }
  floor_uring_strategy(const floor_uring_strategy&) = delete;
  floor_uring_strategy& operator=(const floor_uring_strategy&) = delete;

 private:
  friend floor_loop;

  static std::uint64_t tag(std::size_t i, op o) { return (static_cast<std::uint64_t>(i) << 3) | o; }

  // A free submission entry; a full queue is submitted first.
  io_uring_sqe* entry() {
    io_uring_sqe* sqe = ::io_uring_get_sqe(&ring_);
    if (sqe == nullptr) {
      if (const int rc = ::io_uring_submit(&ring_); rc < 0)
        throw std::system_error(-rc, std::generic_category(), "floor: io_uring_submit");
      sqe = ::io_uring_get_sqe(&ring_);
      if (sqe == nullptr)
        throw std::runtime_error("floor: no io_uring submission entry after a submit");
    }
    ++outstanding_;
    return sqe;
  }

  // Lane `i` sends the request of slot `k`, on its kept connection or a new one.
  void start(std::size_t i, std::size_t k) {
    auto& l = lanes_[i];
    l.busy = true;
    l.slot = k;
    slots_[k].start_ns = results::steady_now_ns();
    l.reused = l.fd >= 0;
    send_request(i);
  }

  // The request's chain: [connect ->] send -> receive, linked so each waits
  // for the one before and a failure cancels the rest.
  void send_request(std::size_t i) {
    auto& l = lanes_[i];
    const auto& s = slots_[l.slot];
    l.answered = false;
    l.closed = false;
    l.sent = 0;
    l.error.clear();
    l.in.clear();
    // The chain goes to the kernel in one submission: one cut by a full
    // queue would no longer be linked (a send could overtake its connect).
    if (::io_uring_sq_space_left(&ring_) < 3) {
      if (const int rc = ::io_uring_submit(&ring_); rc < 0)
        throw std::system_error(-rc, std::generic_category(), "floor: io_uring_submit");
    }
    if (l.fd < 0) {
      // A blocking socket: io_uring waits for it itself (a non-blocking one
      // could hand back EAGAIN instead of waiting).
      l.fd = ::socket(endpoint_.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (l.fd < 0)
        throw http::request_error(kind::cannot_connect, s.url, std::strerror(errno));
      const int one = 1;
      ::setsockopt(l.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto* sqe = entry();
      ::io_uring_prep_connect(sqe, l.fd, reinterpret_cast<const sockaddr*>(&endpoint_.address),
                              endpoint_.length);
      ::io_uring_sqe_set_data64(sqe, tag(i, op_connect));
      sqe->flags |= IOSQE_IO_LINK;
      ++l.pending;
    }
    auto* sqe = entry();
    ::io_uring_prep_send(sqe, l.fd, s.request.data(), s.request.size(), MSG_NOSIGNAL);
    ::io_uring_sqe_set_data64(sqe, tag(i, op_send));
    sqe->flags |= IOSQE_IO_LINK;
    ++l.pending;
    receive(i);
  }

  void receive(std::size_t i) {
    auto& l = lanes_[i];
    auto* sqe = entry();
    ::io_uring_prep_recv(sqe, l.fd, l.buffer.data(), l.buffer.size(), 0);
    ::io_uring_sqe_set_data64(sqe, tag(i, op_recv));
    ++l.pending;
  }

  // The connection's end goes to the kernel with the next submission; its
  // completion says nothing the floor needs.
  void close_connection(lane& l) {
    if (l.fd < 0)
      return;
    auto* sqe = entry();
    ::io_uring_prep_close(sqe, l.fd);
    ::io_uring_sqe_set_data64(sqe, tag(0, op_close));
    l.fd = -1;
  }

  void wait_for_all() {
    std::size_t left = slots_.size();
    __kernel_timespec timeout{};
    timeout.tv_sec = timeout_ms_ / 1000;
    timeout.tv_nsec = (timeout_ms_ % 1000) * 1'000'000;
    while (left > 0) {
      io_uring_cqe* cqe = nullptr;
      const int rc = ::io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &timeout, nullptr);
      if (rc == -EINTR)
        continue;
      if (rc == -ETIME && ::io_uring_cq_ready(&ring_) == 0) {
        for (const auto& l : lanes_) {
          if (l.busy)
            throw http::request_error(
                kind::timeout, slots_[l.slot].url,
                "no complete answer within " + std::to_string(timeout_ms_) + " ms");
        }
      } else if (rc < 0 && rc != -ETIME) {
        throw std::system_error(-rc, std::generic_category(), "floor: io_uring_enter");
      }
      unsigned head = 0;
      io_uring_for_each_cqe(&ring_, head, cqe) {
        --outstanding_;
        const auto data = ::io_uring_cqe_get_data64(cqe);
        const int res = cqe->res;
        // Consumed before it is handled: handling may throw, and a completion
        // must not be seen twice (abandon() reaps what is left).
        ::io_uring_cq_advance(&ring_, 1);
        if (on_completion(static_cast<std::size_t>(data >> 3), static_cast<op>(data & 7), res)) {
          --left;
          const auto i = static_cast<std::size_t>(data >> 3);
          if (next_ < slots_.size())
            start(i, next_++);  // the lane's next request: never more in flight than lanes
        }
      }
    }
    // The last answers' closes go to the kernel now, not with the next round.
    if (::io_uring_sq_ready(&ring_) > 0)
      ::io_uring_submit(&ring_);
  }

  // One completion of lane `i`'s operation; true when the lane's answer is
  // complete, checked, and nothing of its request is pending any more.
  bool on_completion(std::size_t i, op o, int res) {
    if (o == op_close || o == op_cancel)
      return false;
    auto& l = lanes_[i];
    --l.pending;
    auto& s = slots_[l.slot];
    if (res < 0) {
      // A failure cancels the rest of the chain: its first reason counts.
      if (l.error.empty() && res != -ECANCELED)
        l.error = std::strerror(-res);
      else if (l.error.empty())
        l.error = "cancelled";
    } else if (o == op_send) {
      l.sent += static_cast<std::size_t>(res);
      if (l.sent < s.request.size()) {
        // A short send: the rest follows; the receive already waits.
        auto* sqe = entry();
        ::io_uring_prep_send(sqe, l.fd, s.request.data() + l.sent, s.request.size() - l.sent,
                             MSG_NOSIGNAL);
        ::io_uring_sqe_set_data64(sqe, tag(i, op_send));
        ++l.pending;
      }
    } else if (o == op_recv) {
      if (res == 0) {
        l.closed = true;
        if (l.in.empty())
          l.error = "connection closed before an answer";
      } else {
        l.in.append(l.buffer.data(), static_cast<std::size_t>(res));
      }
      if (l.error.empty() && !l.answered) {
        unsigned status = 0;
        if (floor_support::parse_response(l.in, s.url, status, s.body)) {
          floor_support::check_answer(expect_, s, status);
          s.done_ns = results::steady_now_ns();
          l.answered = true;
        } else if (l.closed) {
          throw http::request_error(kind::io, s.url, "truncated answer");
        } else {
          receive(i);
        }
      }
    }
    if (l.pending > 0)
      return false;
    if (!l.error.empty())
      return retry_or_fail(i);
    if (!l.answered)
      return false;
    l.busy = false;
    if (!keepalive_ || l.closed)
      close_connection(l);
    return true;
  }

  // A reused keep-alive connection the server closed while idle is opened
  // again once, as every client does; anything else fails the round.
  bool retry_or_fail(std::size_t i) {
    auto& l = lanes_[i];
    if (!l.reused)
      throw http::request_error(kind::io, slots_[l.slot].url, l.error);
    close_connection(l);
    l.reused = false;
    send_request(i);
    return false;
  }

  // Cancels whatever is in flight and reaps it (bounded in time), so that no
  // operation outlives the round that started it, then closes every
  // connection. The lanes' buffers stay valid throughout.
  void abandon() noexcept {
    if (outstanding_ > 0) {
      // Ends what waits on a connection even where cancelling does not.
      for (auto& l : lanes_) {
        if (l.fd >= 0)
          ::shutdown(l.fd, SHUT_RDWR);
      }
      io_uring_sqe* sqe = ::io_uring_get_sqe(&ring_);
      if (sqe == nullptr && ::io_uring_submit(&ring_) >= 0)
        sqe = ::io_uring_get_sqe(&ring_);
      if (sqe != nullptr) {
        ::io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
        ::io_uring_sqe_set_data64(sqe, tag(0, op_cancel));
        ++outstanding_;
      }
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      __kernel_timespec tick{};
      tick.tv_nsec = 100'000'000;
      while (outstanding_ > 0 && std::chrono::steady_clock::now() < deadline) {
        io_uring_cqe* cqe = nullptr;
        const int rc = ::io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &tick, nullptr);
        if (rc < 0 && rc != -ETIME && rc != -EINTR)
          break;
        unsigned head = 0;
        unsigned seen = 0;
        io_uring_for_each_cqe(&ring_, head, cqe) {
          ++seen;
        }
        ::io_uring_cq_advance(&ring_, seen);
        outstanding_ -= std::min<std::size_t>(seen, outstanding_);
      }
    }
    for (auto& l : lanes_) {
      if (l.fd >= 0)
        ::close(l.fd);
      l.fd = -1;
      l.busy = false;
      l.pending = 0;
    }
  }

  long timeout_ms_;
  io_uring ring_{};
  std::size_t outstanding_ = 0;  // operations submitted or queued, not yet completed
};

}  // namespace

std::unique_ptr<client_strategy> make_floor_uring_strategy(const bench_case& c,
                                                           const http::url& server,
                                                           const http::client_options& options) {
  return std::make_unique<floor_uring_strategy>(c, server, options);
}

}  // namespace poolbench::runner

#else  // built without liburing

#include <stdexcept>

namespace poolbench::runner {

std::unique_ptr<client_strategy> make_floor_uring_strategy(const bench_case&, const http::url&,
                                                           const http::client_options&) {
  throw std::invalid_argument("the floor on io_uring: this poolbench was built without liburing");
}

}  // namespace poolbench::runner

#endif
