#pragma once
// What the backend models saw, as the --stats-path endpoint answers it. Free
// of sockets like request_handler: a target and counters in, a response out.

#include "request_handler.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace poolbench::server {

// The counters. Totals and the peak cover the time since the start or the
// last reset; in_flight is the current gauge.
struct backend_stats {
  std::uint64_t admitted = 0;      // given a slot (at once or after queueing)
  std::uint64_t rejected_503 = 0;  // over --max-in-flight with --over-limit reject
  std::uint64_t rejected_429 = 0;  // over --rate-limit
  std::uint64_t in_flight = 0;     // admitted and not yet answered, delays included
  std::uint64_t peak_in_flight = 0;
  std::uint64_t queued = 0;  // had to wait for a slot (--over-limit queue)
  std::uint64_t queue_wait_us_total = 0;
  std::uint64_t queue_wait_us_max = 0;
};

// The counters as one JSON object, keys in the order of backend_stats.
[[nodiscard]] std::string to_json(const backend_stats& stats);

// Whether `req` asks the stats endpoint at `stats_path` (a GET of exactly that
// path; any query), and whether it asks for a reset (`?reset=1`).
struct stats_request {
  bool reset = false;
};
[[nodiscard]] std::optional<stats_request> match_stats_request(const request& req,
                                                               std::string_view stats_path);

// 200, application/json, the counters.
[[nodiscard]] response stats_response(const backend_stats& stats, unsigned version,
                                      bool keep_alive);

}  // namespace poolbench::server
