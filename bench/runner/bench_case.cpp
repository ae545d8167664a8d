#include "bench_case.hpp"

#include <algorithm>
#include <stdexcept>

namespace poolbench::runner {

std::string_view to_string(strategy s) {
  switch (s) {
    case strategy::serial:
      return "serial";
    case strategy::thread_pool:
      return "thread_pool";
    case strategy::process_pool:
      return "process_pool";
    case strategy::async_pool:
      return "async_pool";
  }
  return "?";
}

std::string_view to_string(variant v) {
  return v == variant::warm ? "warm" : "cold";
}

strategy parse_strategy(std::string_view text) {
  for (auto s :
       {strategy::serial, strategy::thread_pool, strategy::process_pool, strategy::async_pool}) {
    if (text == to_string(s))
      return s;
  }
  throw std::invalid_argument("unknown strategy '" + std::string(text) +
                              "' (expected serial, thread_pool, process_pool or async_pool)");
}

variant parse_variant(std::string_view text) {
  if (text == "warm")
    return variant::warm;
  if (text == "cold")
    return variant::cold;
  throw std::invalid_argument("unknown variant '" + std::string(text) +
                              "' (expected warm or cold)");
}

std::string bench_case::name() const {
  std::string out(to_string(kind));
  out.append("/").append(to_string(pool));
  out.append("/batch:").append(std::to_string(names.size()));
  out.append("/workers:").append(std::to_string(workers));
  out.append("/delay_ms:").append(std::to_string(delay_ms));
  if (keepalive)
    out.append("/keepalive:1");
  return out;
}

std::vector<std::string> article_names() {
  return {"romeo", "julliet", "mercucio"};
}

std::vector<std::string> generated_names(std::size_t count) {
  std::vector<std::string> names;
  names.reserve(count);
  for (std::size_t i = 1; i <= count; ++i)
    names.push_back(std::string("user-").append(std::to_string(i)));
  return names;
}

std::vector<bench_case> expand(const grid& g) {
  std::vector<bench_case> cases;
  for (auto kind : g.strategies) {
    // serial has no pool to build or size: one case per delay and keep-alive.
    const auto variants =
        kind == strategy::serial ? std::vector<variant>{variant::warm} : g.variants;
    const auto workers = kind == strategy::serial ? std::vector<std::size_t>{1} : g.workers;
    for (auto pool : variants) {
      for (auto w : workers) {
        for (auto delay : g.delays_ms) {
          for (bool keepalive : g.keepalive) {
            cases.push_back({kind, pool, g.names, w, delay, keepalive});
          }
        }
      }
    }
  }
  return cases;
}

std::vector<bench_case> default_experiment(bool quick, const std::vector<strategy>& strategies,
                                           const std::vector<variant>& variants) {
  // The article's workload: 3 names, fresh connections, no delay, one worker
  // per name so the whole batch is in flight at once.
  auto cases = expand({article_names(), {3}, {0}, {false}, strategies, variants});
  // The I/O-bound sweep, warm pools only (cold pools are the article part's
  // question; the sweep asks how pools scale with workers and latency).
  std::vector<variant> sweep_variants;
  if (std::find(variants.begin(), variants.end(), variant::warm) != variants.end()) {
    sweep_variants = {variant::warm};
  }
  // With only cold pools asked for, the sweep keeps just its serial baseline.
  grid sweep =
      quick ? grid{generated_names(10), {4}, {0, 1}, {false, true}, strategies, sweep_variants}
            : grid{generated_names(100), {1, 4, 16, 64}, {0, 1, 10},
                   {false, true},        strategies,     sweep_variants};
  auto more = expand(sweep);
  cases.insert(cases.end(), more.begin(), more.end());
  return cases;
}

}  // namespace poolbench::runner
