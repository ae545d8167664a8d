#pragma once
// What the strategies share: the per-request record each worker returns, the
// one latency definition, and the open-loop bookkeeping of pools whose tasks
// return std::future.

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/client_strategy.hpp>

#include <poolbench/results/clock.hpp>

#include <poolbench/http/client_options.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace poolbench::runner::detail {

// A checked response body, when its worker started the request and when the
// checked body was in hand, and the answers it took (1, plus one per 429 or
// 503 retried). Steady time is CLOCK_MONOTONIC, shared by all processes, so
// process workers can report it too.
struct fetched {
  std::string body;
  std::int64_t start_ns = 0;
  std::int64_t done_ns = 0;
  unsigned attempts = 1;
};
// Process workers send it back through the pool's wire codec (as CBOR).
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(fetched, body, start_ns, done_ns, attempts)

using results::steady_now_ns;

inline std::chrono::steady_clock::time_point steady_at(std::int64_t ns) {
  return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(ns));
}

inline http::client_options client_options_for(const bench_case& c, http::client_options options) {
  options.mode = c.keep_alive() ? http::connection::keep_alive : http::connection::fresh;
  return options;
}

inline double seconds_between(std::int64_t from_ns, std::int64_t to_ns) {
  return static_cast<double>(to_ns - from_ns) * 1e-9;
}

// Service time (worker start -> checked response) and queue time (batch
// submit -> worker start) of one request: one definition for every strategy.
inline void add(round_result& result, fetched f, std::int64_t submit_ns) {
  result.attempts += f.attempts;
  result.bodies.push_back(std::move(f.body));
  result.service.push_back(seconds_between(f.start_ns, f.done_ns));
  result.queue.push_back(seconds_between(submit_ns, f.start_ns));
}

// Collects futures in submission order.
template <class Futures>
round_result collect(Futures& futures, std::int64_t submit_ns) {
  round_result result;
  result.reserve(futures.size());
  for (auto& f : futures)
    add(result, f.get(), submit_ns);
  return result;
}

std::string describe(const std::exception_ptr& error);

// The open-loop dispatcher of a pool with std::future results: submits
// request k at plan.intended_ns[k] (never waiting for an answer), then waits
// for the answers until the last intended time plus the drain timeout.
// Returns, per request, its outcome; `give_up` is called (to cancel what is
// still queued) when some answer did not come in time.
template <class Submit, class GiveUp>
std::vector<request_outcome> dispatch_open_loop(const open_loop_plan& plan,
                                                const std::vector<std::string>& names,
                                                Submit submit, GiveUp give_up) {
  std::vector<std::future<fetched>> futures;
  futures.reserve(plan.intended_ns.size());
  for (std::size_t k = 0; k < plan.intended_ns.size(); ++k) {
    std::this_thread::sleep_until(steady_at(plan.intended_ns[k]));
    futures.push_back(submit(names[k % names.size()]));
  }
  const auto deadline =
      steady_at(plan.intended_ns.empty() ? steady_now_ns() : plan.intended_ns.back()) +
      plan.drain_timeout;
  std::vector<request_outcome> out(futures.size());
  bool incomplete = false;
  for (std::size_t k = 0; k < futures.size(); ++k) {
    if (futures[k].wait_until(deadline) != std::future_status::ready) {
      incomplete = true;
      continue;
    }
    try {
      const auto f = futures[k].get();
      out[k].body = f.body;
      out[k].start_ns = f.start_ns;
      out[k].done_ns = f.done_ns;
      out[k].attempts = f.attempts;
    } catch (...) {
      out[k].error = describe(std::current_exception());
    }
  }
  if (incomplete)
    give_up();
  return out;
}

}  // namespace poolbench::runner::detail
