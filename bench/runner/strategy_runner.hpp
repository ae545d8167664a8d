#pragma once
// Runs rounds of one benchmark case. One round = submit the whole batch to
// the strategy, wait for every response, verify every body in order.
//
// Construction is the untimed set-up: a warm pool is built there (how the
// article timed threads and processes); a cold pool is built and shut down
// inside every round (how it timed the async pool).

#include "bench_case.hpp"

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/url.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace poolbench::runner {

// One definition of latency for every strategy, per request, in seconds:
// service time runs from the moment a worker starts the request to the
// moment its checked response is in hand; queue time from the submission of
// the batch to that start (for serial: the requests ahead of it).
struct round_result {
  std::vector<std::string> bodies;  // in the order of the case's names
  std::vector<double> service;
  std::vector<double> queue;

  void reserve(std::size_t n) {
    bodies.reserve(n);
    service.reserve(n);
    queue.reserve(n);
  }
};

class strategy_runner {
 public:
  virtual ~strategy_runner() = default;
  // Throws (http::request_error, pool errors, ...) when a request fails; the
  // message names the request.
  [[nodiscard]] virtual round_result run_round() = 0;
};

// Builds the strategy of `c` (a warm pool now). `options.mode` is ignored:
// the case's keepalive flag decides it.
[[nodiscard]] std::unique_ptr<strategy_runner> make_strategy_runner(const bench_case& c,
                                                                    const http::url& server,
                                                                    http::client_options options);

// Throws std::runtime_error naming the first request whose body is not
// "Hello, <name>" for the name at its position.
void verify_round(const bench_case& c, const http::url& server, const round_result& result);

}  // namespace poolbench::runner
