#include <poolbench/runner/floor_backend.hpp>

#include <poolbench/runner/strategies.hpp>

#if POOLBENCH_HAS_LIBURING
#include <poolbench/uring/io_uring_probe.hpp>
#endif

#include <atomic>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace poolbench::runner {
namespace {

// The one the floor uses when both are there: io_uring costs fewer
// user-space instructions and far fewer system calls per request, keep-alive
// or not (scripts/profile-floor).
constexpr floor_backend cheaper = floor_backend::io_uring;

std::atomic<floor_backend_choice> chosen{floor_backend_choice::automatic};

}  // namespace

std::string_view to_string(floor_backend b) {
  return b == floor_backend::io_uring ? "io_uring" : "epoll";
}

floor_backend_choice parse_floor_backend_choice(std::string_view text) {
  if (text == "auto")
    return floor_backend_choice::automatic;
  if (text == "epoll")
    return floor_backend_choice::epoll;
  if (text == "io_uring")
    return floor_backend_choice::io_uring;
  throw std::invalid_argument("floor backend '" + std::string(text) +
                              "': expected auto, epoll or io_uring");
}

io_uring_availability probe_io_uring(const std::string& disabled_path) {
#if POOLBENCH_HAS_LIBURING
  // The probe poolbench-server-uring asks too (poolbench::uring).
  if (auto why_not = uring::io_uring_refusal(disabled_path))
    return {false, std::move(*why_not)};
  return {true, {}};
#else
  static_cast<void>(disabled_path);
  return {false, "this poolbench was built without liburing"};
#endif
}

floor_backend_decision decide_floor_backend(floor_backend_choice choice,
                                            const io_uring_availability& found) {
  switch (choice) {
    case floor_backend_choice::epoll:
      return {floor_backend::epoll, "chosen by --floor-backend epoll", false};
    case floor_backend_choice::io_uring:
      if (!found.available)
        throw std::invalid_argument("--floor-backend io_uring: " + found.why_not);
      return {floor_backend::io_uring, "chosen by --floor-backend io_uring", false};
    case floor_backend_choice::automatic:
      break;
  }
  if (cheaper == floor_backend::epoll)
    return {floor_backend::epoll, "the cheaper per request", false};
  if (found.available)
    return {floor_backend::io_uring, "the cheaper per request", false};
  return {floor_backend::epoll, "io_uring not available: " + found.why_not, true};
}

void record_floor_backend(const floor_backend_decision& decision, nlohmann::ordered_json& context) {
  context["floor_backend"] = to_string(decision.backend);
  context["floor_backend_reason"] = decision.why;
}

void choose_floor_backend(floor_backend_choice choice) {
  chosen.store(choice);
}

floor_backend_decision floor_backend_in_use() {
  static const io_uring_availability found = probe_io_uring();
  auto decision = decide_floor_backend(chosen.load(), found);
  static std::once_flag said;
  if (decision.fell_back) {
    std::call_once(said, [&decision] {
      std::cerr << "poolbench: the floor runs on epoll: " << decision.why << "\n";
    });
  }
  return decision;
}

std::unique_ptr<client_strategy> make_floor_strategy(const bench_case& c, const http::url& server,
                                                     const http::client_options& options) {
  if (floor_backend_in_use().backend == floor_backend::io_uring)
    return make_floor_uring_strategy(c, server, options);
  return make_floor_epoll_strategy(c, server, options);
}

}  // namespace poolbench::runner
