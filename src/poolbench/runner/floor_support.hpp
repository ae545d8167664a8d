#pragma once
// Internal: what the floor's two event loops share (floor_strategy.cpp on
// epoll, floor_uring_strategy.cpp on io_uring): the server's address, one
// prebuilt request per name, the exact answer parser and the answer check.
// Two loops, one client: only the way the kernel is asked differs.

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/client_strategy.hpp>

#include <poolbench/results/clock.hpp>

#include <poolbench/http/answer_check.hpp>
#include <poolbench/http/url.hpp>

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace poolbench::runner::floor_support {

// One name's request and, once a round has run it, its outcome.
struct slot {
  std::string name;
  std::string url;      // for error messages: "http://host:port/target"
  std::string request;  // prebuilt bytes
  std::int64_t start_ns = 0;
  std::int64_t done_ns = 0;
  std::string body;  // the checked body, once done
};

// The server's address, resolved once.
struct endpoint {
  sockaddr_storage address{};
  socklen_t length = 0;
  int family = 0;
};

// Throws request_error (cannot_connect) if the host does not resolve.
[[nodiscard]] endpoint resolve(const http::url& server);

// Builds a slot's request bytes (and its URL for messages) for `delay`.
void prepare(slot& s, const http::url& server, bool keepalive, std::chrono::microseconds delay);

// The case's slots, one per name, prepared with the case's fixed delay.
[[nodiscard]] std::vector<slot> slots_of(const bench_case& c, const http::url& server);

// Lanes: requests in flight at once, the case's workers (at least 1, at most
// the batch): the floor never has more in flight than a pool of W workers.
[[nodiscard]] std::size_t lanes_of(const bench_case& c);

// A complete HTTP/1.x answer at the front of `in`: its status and body, or
// false (not complete yet). Throws request_error on what is not HTTP.
bool parse_response(const std::string& in, const std::string& url, unsigned& status,
                    std::string& body);

// A backend's refusal fails the round (as a refusal: the floor does not
// retry), a wrong answer fails it as one; else the answer is accepted.
void check_answer(const http::answer_check& expect, const slot& s, unsigned status);

// The round's result from its done slots (bodies moved out), measured from `submit_ns`.
[[nodiscard]] round_result result_of(std::vector<slot>& slots, std::int64_t submit_ns);

// What both loops hold, and the round itself: the round is the same on
// either kernel interface, only a lane's start, the wait and the clean-up
// differ. `Loop` (the derived class, which befriends this one) supplies
// start(lane, slot), wait_for_all() and abandon(), the last leaving no
// operation or half-read connection behind a failed round.
template <class Loop, class Lane>
class floor_loop : public client_strategy {
 public:
  round_result run_round(const round_delays& delays) final {
    // Drawn delays differ from round to round: the requests are built anew
    // (in the round, as every other strategy builds each request's target).
    if (drawn_) {
      for (std::size_t i = 0; i < slots_.size(); ++i)
        prepare(slots_[i], server_, keepalive_, delays[i]);
    }
    auto& loop = static_cast<Loop&>(*this);
    const auto submit = results::steady_now_ns();
    next_ = 0;
    try {
      for (std::size_t i = 0; i < lanes_.size() && next_ < slots_.size(); ++i)
        loop.start(i, next_++);
      loop.wait_for_all();
    } catch (...) {
      loop.abandon();
      throw;
    }
    return result_of(slots_, submit);
  }

 protected:
  floor_loop(const bench_case& c, const http::url& server, const http::client_options& options)
      : server_(server),
        keepalive_(c.keep_alive()),
        drawn_(c.delay.has_value()),
        expect_(options.expect),
        endpoint_(resolve(server)),
        slots_(slots_of(c, server)),
        lanes_(lanes_of(c)) {}

  http::url server_;
  bool keepalive_;
  bool drawn_;  // the case draws its delays: requests change every round
  http::answer_check expect_;
  endpoint endpoint_;
  std::vector<slot> slots_;
  std::vector<Lane> lanes_;
  std::size_t next_ = 0;  // the next slot a free lane takes, in a round
};

}  // namespace poolbench::runner::floor_support
