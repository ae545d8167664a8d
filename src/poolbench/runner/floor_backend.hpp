#pragma once
// Internal: which kernel interface serves the floor (the least a client can
// do for a round): epoll (floor_strategy.cpp) or io_uring
// (floor_uring_strategy.cpp). By default the cheaper of the two per request,
// io_uring, with a fallback to epoll, said in one line, when io_uring is not
// available at run time (compiled out, disabled by
// /proc/sys/kernel/io_uring_disabled, or io_uring_queue_init refused).
// poolbench --floor-backend chooses; the result file's context records the
// backend that served (docs/result-format.md).

#include <poolbench/runner/client_strategy.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace poolbench::runner {

enum class floor_backend { epoll, io_uring };
// --floor-backend: auto (the cheaper, with the fallback), epoll, io_uring (no fallback).
enum class floor_backend_choice { automatic, epoll, io_uring };

[[nodiscard]] std::string_view to_string(floor_backend b);
// "auto", "epoll" or "io_uring"; throws std::invalid_argument otherwise.
[[nodiscard]] floor_backend_choice parse_floor_backend_choice(std::string_view text);

struct io_uring_availability {
  bool available = false;
  std::string why_not;  // one line, when not available
};

// Whether this process can use io_uring: poolbench::uring's probe (the one
// poolbench-server-uring asks) where liburing was found, with its reason when
// not; "this poolbench was built without liburing" where it was not.
// `disabled_path` is the kernel's io_uring_disabled switch (absent on kernels
// before 6.6), read before a small ring is set up and torn down.
[[nodiscard]] io_uring_availability probe_io_uring(
    const std::string& disabled_path = "/proc/sys/kernel/io_uring_disabled");

struct floor_backend_decision {
  floor_backend backend = floor_backend::epoll;
  std::string why;         // one line: why this backend serves
  bool fell_back = false;  // auto wanted io_uring and could not have it
};

// The backend for `choice` given what the probe found. Throws
// std::invalid_argument (one line) for io_uring when it is not available.
[[nodiscard]] floor_backend_decision decide_floor_backend(floor_backend_choice choice,
                                                          const io_uring_availability& found);

// The result file's context keys: floor_backend and floor_backend_reason.
void record_floor_backend(const floor_backend_decision& decision, nlohmann::ordered_json& context);

// The process-wide choice, set from the command line before any floor is made
// (default auto).
void choose_floor_backend(floor_backend_choice choice);
// The decision for the current choice, probing io_uring once per process. A
// fallback is said once on stderr. Throws as decide_floor_backend.
[[nodiscard]] floor_backend_decision floor_backend_in_use();

// The two floors (make_floor_strategy in strategies.hpp makes the one in use).
[[nodiscard]] std::unique_ptr<client_strategy> make_floor_epoll_strategy(
    const bench_case& c, const http::url& server, const http::client_options& options);
[[nodiscard]] std::unique_ptr<client_strategy> make_floor_uring_strategy(
    const bench_case& c, const http::url& server, const http::client_options& options);

}  // namespace poolbench::runner
