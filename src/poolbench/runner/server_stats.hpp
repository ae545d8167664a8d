#pragma once
// What the embedded poolbench-server saw, from its own counters (its
// --stats-path endpoint): requests admitted and rejected, the most in flight
// at once, and the time requests queued for a slot. The runner reads them
// around each repetition's timed rounds, so that a claim about a limit rests
// on the server's count, not the client's.

#include <poolbench/http/url.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace poolbench::runner {

// Where poolbench asks the embedded server for its counts. A name cannot
// reach it through the default path: names are percent-encoded into one
// path segment ('/' becomes %2F).
inline constexpr std::string_view embedded_stats_path = "/.poolbench/stats";

struct server_stats {
  std::uint64_t admitted = 0;
  std::uint64_t rejected_503 = 0;
  std::uint64_t rejected_429 = 0;
  std::uint64_t in_flight = 0;
  std::uint64_t peak_in_flight = 0;
  std::uint64_t queued = 0;
  std::uint64_t queue_wait_us_total = 0;
  std::uint64_t queue_wait_us_max = 0;
};

// GET `path` (with "?reset=1" when `reset`: the server then zeroes its peak
// and totals after answering) on a fresh connection. Throws
// std::runtime_error with a one-line reason.
[[nodiscard]] server_stats read_server_stats(const http::url& server, std::string_view path,
                                             bool reset);

// Parses the endpoint's JSON body; throws std::runtime_error naming what is missing.
[[nodiscard]] server_stats parse_server_stats(std::string_view body);

}  // namespace poolbench::runner
