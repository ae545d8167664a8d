#pragma once
// Runs rounds of one benchmark case. One round = submit the whole batch to
// the strategy, wait for every response, verify every body in order.
//
// Construction is the untimed set-up: a warm pool is built there (how the
// article timed threads and processes); a cold pool is built and shut down
// inside every round (how it timed the async pool).

#include <poolbench/runner/bench_case.hpp>

#include <poolbench/http/answer_check.hpp>

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/url.hpp>

#include <sys/types.h>

#include <chrono>
#include <cstdint>
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
  // Answers the round took: one per request, plus one per 429 or 503 retried.
  std::size_t attempts = 0;

  [[nodiscard]] std::size_t rejected() const {
    return attempts > bodies.size() ? attempts - bodies.size() : 0;
  }

  void reserve(std::size_t n) {
    bodies.reserve(n);
    service.reserve(n);
    queue.reserve(n);
  }
};

// An open-loop run: when each request is meant to be sent (absolute
// steady-clock nanoseconds, ascending), and how long after the last of them
// answers are still waited for.
struct open_loop_plan {
  std::vector<std::int64_t> intended_ns;
  std::chrono::milliseconds drain_timeout{5000};
};

// One open-loop request: when its worker started it and when its checked
// answer was in hand (0 if it never completed within the drain timeout), or
// the error it ended with.
struct request_outcome {
  std::string body;
  std::int64_t start_ns = 0;
  std::int64_t done_ns = 0;
  unsigned attempts = 0;  // answers taken: 1, plus one per 429 or 503 retried
  std::string error;
  [[nodiscard]] bool completed() const { return done_ns != 0 && error.empty(); }
};

class client_strategy {
 public:
  virtual ~client_strategy() = default;
  // Throws (http::request_error, pool errors, ...) when a request fails; the
  // message names the request.
  [[nodiscard]] virtual round_result run_round() = 0;
  // Open loop (pools only; the others throw std::invalid_argument): a single
  // dispatcher hands request k (name k modulo the batch) to the warm pool at
  // its intended time, never waiting for earlier answers. Requests still
  // queued when the drain timeout ends are cancelled.
  [[nodiscard]] virtual std::vector<request_outcome> run_open_loop(const open_loop_plan& plan);
  // The live worker processes of a warm process pool, whose CPU and memory
  // the cost meter reads from /proc; none where every worker is a thread of
  // this process (or, for a cold pool, between rounds).
  [[nodiscard]] virtual std::vector<pid_t> worker_pids() const { return {}; }
};

// Throws std::runtime_error unless the round has one answer per name and,
// with the hello check, naming the first request whose body is not
// "Hello, <name>" for the name at its position. (The other checks need no
// position: the clients checked every answer as it came.)
void verify_round(const bench_case& c, const http::url& server, const round_result& result,
                  const http::answer_check& expect = {});

}  // namespace poolbench::runner
