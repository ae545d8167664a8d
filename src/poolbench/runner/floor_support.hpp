#pragma once
// Internal: what the floor's two event loops share (floor_strategy.cpp on
// epoll, floor_uring_strategy.cpp on io_uring): the server's address, one
// prebuilt request per name, the exact answer parser and the answer check.
// Two loops, one client: only the way the kernel is asked differs.

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/client_strategy.hpp>

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

}  // namespace poolbench::runner::floor_support
