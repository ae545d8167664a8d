#include <poolbench/runner/bench_case.hpp>

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
    case strategy::floor:
      return "floor";
  }
  return "?";
}

std::string_view to_string(mode m) {
  return m == mode::warm ? "warm" : "cold";
}

strategy parse_strategy(std::string_view text) {
  for (auto s : {strategy::serial, strategy::thread_pool, strategy::process_pool,
                 strategy::async_pool, strategy::floor}) {
    if (text == to_string(s))
      return s;
  }
  throw std::invalid_argument(
      "unknown strategy '" + std::string(text) +
      "' (expected serial, thread_pool, process_pool, async_pool or floor)");
}

mode parse_mode(std::string_view text) {
  if (text == "warm")
    return mode::warm;
  if (text == "cold")
    return mode::cold;
  throw std::invalid_argument("unknown mode '" + std::string(text) + "' (expected warm or cold)");
}

std::string bench_case::name() const {
  std::string out(to_string(strategy));
  if (strategy != runner::strategy::floor)
    out.append("/").append(to_string(mode));
  out.append("/batch:").append(std::to_string(names.size()));
  if (strategy != runner::strategy::floor)
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
  for (auto s : g.strategies) {
    // serial and the floor have no pool to build or size: one case per delay
    // and keep-alive (the floor has the whole batch in flight at once).
    const bool pool = s != strategy::serial && s != strategy::floor;
    const auto modes = pool ? g.modes : std::vector<mode>{mode::warm};
    std::vector<std::size_t> workers = g.workers;
    if (!pool)
      workers = {s == strategy::serial ? 1 : g.names.size()};
    for (auto m : modes) {
      for (auto w : workers) {
        for (auto delay : g.delays_ms) {
          for (bool keepalive : g.keepalive) {
            cases.push_back({s, m, g.names, w, delay, keepalive});
          }
        }
      }
    }
  }
  return cases;
}

namespace {

std::vector<strategy> only(const std::vector<strategy>& asked, std::vector<strategy> these) {
  std::erase_if(
      these, [&](strategy s) { return std::find(asked.begin(), asked.end(), s) == asked.end(); });
  return these;
}

void add(std::vector<bench_case>& to, const grid& g) {
  auto more = expand(g);
  to.insert(to.end(), more.begin(), more.end());
}

}  // namespace

std::vector<bench_case> default_experiment(bool quick, const std::vector<strategy>& strategies,
                                           const std::vector<mode>& modes) {
  // The article's workload: 3 names, fresh connections, no delay, one worker
  // per name so the whole batch is in flight at once.
  auto cases = expand({article_names(), {3}, {0}, {false}, strategies, modes});
  // The I/O-bound sweep, warm pools only (cold pools are the article part's
  // question; the sweep asks how pools scale with workers and latency).
  std::vector<mode> sweep_modes;
  if (std::find(modes.begin(), modes.end(), mode::warm) != modes.end()) {
    sweep_modes = {mode::warm};
  }
  // With only cold pools asked for, the sweep keeps just its serial baseline.
  if (quick) {
    add(cases, {generated_names(10), {4}, {0, 1}, {false, true}, strategies, sweep_modes});
    return cases;
  }
  add(cases,
      {generated_names(100), {1, 4, 16, 64}, {0, 1}, {false, true}, strategies, sweep_modes});
  // At 10 ms one worker (and serial) only says batch x delay, at about 20 s a
  // case (a 1 s round, 9 warm-ups, 9+ timed rounds): trimmed to 4 workers up.
  add(cases, {generated_names(100),
              {4, 16, 64},
              {10},
              {false, true},
              only(strategies, {strategy::thread_pool, strategy::process_pool, strategy::async_pool,
                                strategy::floor}),
              sweep_modes});
  // Where executors differ: many requests in flight, each waiting 10 ms on
  // the server over a reused connection, four waves per round (batch = 4 x
  // workers), for the three pools.
  for (std::size_t workers : {64, 256, 1024, 4096}) {
    add(cases,
        {generated_names(4 * workers),
         {workers},
         {10},
         {true},
         only(strategies, {strategy::thread_pool, strategy::process_pool, strategy::async_pool}),
         sweep_modes});
  }
  return cases;
}

}  // namespace poolbench::runner
