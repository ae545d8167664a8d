#pragma once
// Everything poolbench-server can be told on its command line, with the
// defaults documented in README.md and `poolbench-server --help`.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace poolbench::server {

// Limits applied to each request before any work is done for it.
struct request_limits {
  std::size_t max_target_bytes = 8 * 1024;   // longer → 414
  std::size_t max_header_bytes = 16 * 1024;  // header fields, request line excluded → 431
  std::size_t max_body_bytes = 4 * 1024;     // GET needs no body; larger → 413
  std::uint64_t max_delay_ms = 10'000;       // ?delay_ms (or ?delay_us) above this → 400
};

// What --max-in-flight does with a request beyond the limit.
enum class over_limit {
  reject,  // 503 with Retry-After: an API with limits
  queue,   // waits for a slot, first come first served: a database with N connections
};

// The backend models (all off by default): limits, an overload delay and the
// counters that say what the server saw. Only requests the backend serves (a
// 200 hello) are limited, delayed or counted; 4xx answers are the protocol's.
struct backend_options {
  std::size_t max_in_flight = 0;  // 0: no limit
  over_limit policy = over_limit::reject;
  double rate_limit = 0;         // requests per second; 0: no limit
  std::uint64_t rate_burst = 0;  // the bucket's size; 0: max(1, rate_limit / 10)
  // Extra wait of each request per other request in flight when it is admitted.
  std::chrono::microseconds overload_per_request{0};
  // Retry-After in whole seconds on 503 and 429; negative: the server's own
  // estimate (0 for 503, the seconds until the next token for 429, rounded down).
  std::int64_t retry_after_s = -1;
  std::string stats_path;  // "GET <path>" answers the counters; empty: none
  // The delay of a request that names none (no ?delay_ms, no ?delay_us), as
  // a poolbench::delay spec; empty: none. The n-th such request admitted gets
  // draw n of the seeded stream, cut to max_delay_ms.
  std::string delay_distribution;
  std::uint64_t seed = 1;

  [[nodiscard]] bool any() const {
    return max_in_flight > 0 || rate_limit > 0 || overload_per_request.count() > 0 ||
           !stats_path.empty() || !delay_distribution.empty();
  }
};

// How the threads share the work.
enum class io_model {
  // One io_context run by every thread, one acceptor; a connection's
  // handlers may run on any thread (on its strand).
  shared,
  // One io_context per thread, each with its own acceptor bound to the same
  // port with SO_REUSEPORT (nginx's worker model): the kernel spreads new
  // connections over the acceptors, and a connection stays on its thread, so
  // nothing needs a strand or takes the scheduler's lock against another
  // thread.
  reuseport,
};

struct server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port
  std::size_t threads = 1;
  io_model model = io_model::shared;
  std::size_t max_connections = 10'000;
  std::chrono::milliseconds idle_timeout{30'000};    // between requests on one connection
  std::chrono::milliseconds header_timeout{10'000};  // first byte → complete request (slowloris)
  std::chrono::milliseconds shutdown_grace{5'000};   // how long SIGTERM waits for delayed answers
  request_limits limits;
  backend_options backend;
};

}  // namespace poolbench::server
