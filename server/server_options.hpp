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
  std::uint64_t max_delay_ms = 10'000;       // ?delay_ms above this → 400
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
};

}  // namespace poolbench::server
