#include <poolbench/runner/bench_case.hpp>

#include <poolbench/results/strategy_traits.hpp>

#include <algorithm>
#include <stdexcept>

namespace poolbench::runner {

results::workload bench_case::workload() const {
  results::workload w;
  w.strategy = strategy;
  w.mode = results::has_pool(strategy) ? mode : pool_mode::warm;
  w.batch = names.size();
  w.workers = workers;
  w.delay_ms = delay_ms;
  if (delay)
    w.delay = delay->spec();
  w.connection = connection;
  return w;
}

results::workload bench_case::open_loop_workload(double rate, results::arrivals kind) const {
  auto w = workload();
  w.batch = 0;  // requests come from the schedule, the names are cycled
  w.open_loop = results::open_loop_load{rate, kind};
  return w;
}

std::string bench_case::name() const {
  return results::case_name(workload());
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

namespace {

// Each of `workers` capped at the batch (at least 1), once each, in order.
std::vector<std::size_t> floor_workers(const std::vector<std::size_t>& workers, std::size_t batch) {
  std::vector<std::size_t> out;
  for (auto w : workers) {
    const auto in_flight = std::clamp<std::size_t>(w, 1, std::max<std::size_t>(batch, 1));
    if (std::find(out.begin(), out.end(), in_flight) == out.end())
      out.push_back(in_flight);
  }
  return out;
}

}  // namespace

std::vector<bench_case> expand(const grid& g) {
  std::vector<bench_case> cases;
  for (auto s : g.strategies) {
    // serial, the floor and unbounded have no pool to build or size: one
    // mode. serial is one case per delay and keep-alive, unbounded likewise
    // (the whole batch in flight); the floor one per workers as well (as
    // many requests in flight as the pools it measures, at most the batch:
    // more would be the same floor again).
    const auto traits = results::traits_of(s);
    const auto modes = traits.has_pool ? g.modes : std::vector<pool_mode>{pool_mode::warm};
    std::vector<std::size_t> workers = g.workers;
    if (traits.in_flight == results::per_case::one)
      workers = {1};
    if (!traits.has_pool && traits.in_flight == results::per_case::workers)
      workers = floor_workers(g.workers, g.names.size());
    if (traits.in_flight == results::per_case::batch)
      workers = {g.names.size()};  // the whole batch in flight: one case
    for (auto m : modes) {
      for (auto w : workers) {
        for (auto delay : g.delays_ms) {
          for (auto connection : g.connections) {
            if (g.delays.empty())
              cases.push_back({s, m, g.names, w, delay, connection});
          }
        }
        for (const auto& drawn : g.delays) {
          for (auto connection : g.connections)
            cases.push_back({s, m, g.names, w, 0, connection, drawn});
        }
      }
    }
  }
  return cases;
}

namespace {

// The strategies asked for whose traits pass `keep`, in the order strategies were registered, as
// before there was a registry.
template <class Keep>
std::vector<strategy> only(const std::vector<strategy>& asked, Keep keep) {
  auto these = results::registered_strategies();
  std::erase_if(these, [&](strategy s) {
    return std::find(asked.begin(), asked.end(), s) == asked.end() || !keep(results::traits_of(s));
  });
  return these;
}

// Sized by their workers: the pools and the floor (not serial or unbounded).
bool keeps_workers_in_flight(const results::strategy_traits& t) {
  return t.in_flight == results::per_case::workers;
}

bool is_pool(const results::strategy_traits& t) {
  return t.has_pool;
}

void add(std::vector<bench_case>& to, const grid& g, std::size_t block) {
  auto more = expand(g);
  for (auto& c : more)
    c.block = block;
  to.insert(to.end(), more.begin(), more.end());
}

// The default experiment's and the zoo's blocks (bench_case::block), in run order.
enum experiment_block : std::size_t { article_block, sweep_block, many_in_flight_block };

}  // namespace

std::vector<bench_case> default_experiment(bool quick, const std::vector<strategy>& strategies,
                                           const std::vector<pool_mode>& modes) {
  // The article's workload: 3 names, fresh connections, no delay, one worker
  // per name so the whole batch is in flight at once.
  auto cases = expand({article_names(), {3}, {0}, {connection::fresh}, strategies, modes});
  for (auto& c : cases) {
    c.min_time_scale = article_min_time_scale;
    c.block = article_block;
  }
  // The I/O-bound sweep, warm pools only (cold pools are the article part's
  // question; the sweep asks how pools scale with workers and latency).
  std::vector<pool_mode> sweep_modes;
  if (std::find(modes.begin(), modes.end(), pool_mode::warm) != modes.end()) {
    sweep_modes = {pool_mode::warm};
  }
  // With only cold pools asked for, the sweep keeps just its serial baseline.
  if (quick) {
    add(cases,
        {generated_names(10),
         {4},
         {0, 1},
         {connection::fresh, connection::keep_alive},
         strategies,
         sweep_modes},
        sweep_block);
    return cases;
  }
  add(cases,
      {generated_names(100),
       {1, 4, 16, 64},
       {0, 1},
       {connection::fresh, connection::keep_alive},
       strategies,
       sweep_modes},
      sweep_block);
  // At 10 ms one worker (and serial) only says batch x delay, at about 20 s a
  // case (a 1 s round, 9 warm-ups, 9+ timed rounds): trimmed to 4 workers up.
  add(cases,
      {generated_names(100),
       {4, 16, 64},
       {10},
       {connection::fresh, connection::keep_alive},
       only(strategies, keeps_workers_in_flight),
       sweep_modes},
      sweep_block);
  // Where executors differ: many requests in flight, each waiting 10 ms on
  // the server over a reused connection, four waves per round (batch = 4 x
  // workers), for the three pools.
  for (std::size_t workers : {64, 256, 1024, 4096}) {
    auto pools = only(strategies, is_pool);
    // process_pool stops at 1024. At 4096 its forks and reaps took 95-110 s
    // of a 9-minute closed loop, for a case that is never the fastest or the
    // runner-up (a round 25 x the ideal); 1024 already shows what a worker
    // process costs (KiB/worker), and the time goes to deciding claims.
    if (workers > 1024)
      std::erase(pools, strategy::process_pool);
    add(cases,
        {generated_names(4 * workers),
         {workers},
         {10},
         {connection::keep_alive},
         pools,
         sweep_modes},
        many_in_flight_block);
  }
  return cases;
}

std::vector<bench_case> zoo_experiment(bool quick, const std::vector<strategy>& strategies) {
  const std::vector<pool_mode> warm{pool_mode::warm};
  auto cases = expand({article_names(), {3}, {0}, {connection::fresh}, strategies, warm});
  const auto in_flight = only(strategies, [](const results::strategy_traits& t) {
    return t.in_flight != results::per_case::one;
  });
  const std::vector<std::size_t> sweep =
      quick ? std::vector<std::size_t>{16, 64} : std::vector<std::size_t>{16, 64, 256, 1024};
  for (std::size_t workers : sweep)
    add(cases,
        {generated_names(4 * workers), {workers}, {10}, {connection::keep_alive}, in_flight, warm},
        many_in_flight_block);
  return cases;
}

}  // namespace poolbench::runner
