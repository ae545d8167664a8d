#include <poolbench/runner/closed_loop_runner.hpp>

#include <poolbench/runner/cost_counters.hpp>
#include <poolbench/runner/cost_meter.hpp>
#include <poolbench/runner/noise_monitor.hpp>
#include <poolbench/runner/server_stats.hpp>
#include <poolbench/runner/strategy_factory.hpp>
#include <poolbench/runner/strategy_support.hpp>
#include <poolbench/runner/test_events.hpp>

#include <poolbench/executor/errors.hpp>
#include <poolbench/http/request_error.hpp>
#include <poolbench/http/sync_client.hpp>
#include <poolbench/stats/statistics.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string_view>
#include <thread>

namespace poolbench::runner {
namespace {

using clock = std::chrono::steady_clock;

double seconds_since(clock::time_point start) {
  return std::chrono::duration<double>(clock::now() - start).count();
}

// POOLBENCH_NO_COST_COUNTERS=1 (a testing switch, docs/result-format.md):
// no cost meter at all, so that what measuring the costs does to round times
// can itself be measured, with and without.
bool cost_counters_on() {
  static const bool on = [] {
    const char* off = std::getenv("POOLBENCH_NO_COST_COUNTERS");
    return off == nullptr || std::string_view(off) != "1";
  }();
  return on;
}

// Per-repetition counters: statistics over this repetition's rounds. Latency
// percentiles are not here: they are computed over all rounds of the case
// (see records()), never averaged across repetitions.
void set_counters(benchmark::State& state, const bench_case& c, const std::vector<double>& rounds) {
  const auto stats = stats::compute_statistics(rounds);
  double total = 0;
  for (double r : rounds)
    total += r;
  auto& counters = state.counters;
  counters["rounds"] = static_cast<double>(rounds.size());
  counters["min"] = stats.min;
  counters["max"] = stats.max;
  counters["mean"] = stats.mean;
  counters["stddev"] = stats.stddev;
  counters["median"] = stats.median;
  counters["q1"] = stats.q1;
  counters["q3"] = stats.q3;
  counters["requests_per_second"] =
      total > 0 ? static_cast<double>(rounds.size() * c.names.size()) / total : 0.0;
}

// Ends a repetition as failed. Google Benchmark 1.7.1 checks that every
// repetition of a case reports the same iteration count once two of them
// succeeded, failed ones included (ComputeStats), and aborts otherwise. A
// repetition that returns before its loop reports 0 iterations; passing
// through the loop (which runs no iteration after SkipWithError) makes it
// report the fixed count like the others. Inside the loop, SkipWithError
// already leaves the count at the fixed one.
void skip_repetition(benchmark::State& state, const std::string& why) {
  state.SkipWithError(why.c_str());
  for (auto _ : state) {
  }
}

// The 429 and 503 answers of a repetition's timed rounds: counted outcomes of
// a backend with limits, retried by the clients (http/retry_policy.hpp).
struct rejection_counts {
  std::size_t rounds = 0;
  std::size_t requests = 0;
  std::size_t attempts = 0;

  void add(const round_result& r) {
    ++rounds;
    requests += r.bodies.size();
    attempts += std::max(r.attempts, r.bodies.size());
  }
  void set_counters(benchmark::State& state) const {
    if (rounds == 0 || requests == 0)
      return;
    state.counters["rejected_per_round"] =
        static_cast<double>(attempts - requests) / static_cast<double>(rounds);
    state.counters["attempts_per_request"] =
        static_cast<double>(attempts) / static_cast<double>(requests);
  }
};

// The embedded server's own counts over a repetition's timed rounds (reset
// just before them): what a limit did, in the server's words.
void set_server_counters(benchmark::State& state, const server_stats& s, std::size_t rounds) {
  const double n = static_cast<double>(std::max<std::size_t>(rounds, 1));
  auto& counters = state.counters;
  counters["server_peak_in_flight"] = static_cast<double>(s.peak_in_flight);
  counters["server_rejected_503_per_round"] = static_cast<double>(s.rejected_503) / n;
  counters["server_rejected_429_per_round"] = static_cast<double>(s.rejected_429) / n;
  counters["server_queue_wait_us_max"] = static_cast<double>(s.queue_wait_us_max);
}

// An answer, but not the expected one: thrown here, or in a process worker
// (where only the exception's type name comes back).
bool is_wrong_answer(const std::exception& ex) {
  if (dynamic_cast<const http::wrong_answer*>(&ex) != nullptr)
    return true;
  const auto* remote = dynamic_cast<const remote_task_error*>(&ex);
  return remote != nullptr && remote->remote_type() == "poolbench::http::wrong_answer";
}

void add_all(results::latency_histogram& to, const std::vector<double>& from) {
  for (double v : from)
    to.add(v);
}

}  // namespace

std::size_t sized_rounds(double min_time, double round_seconds, std::size_t max_rounds) {
  const double wanted = std::ceil(min_time / std::max(round_seconds, 1e-6));
  return static_cast<std::size_t>(
      std::clamp(wanted, 1.0, static_cast<double>(std::max<std::size_t>(max_rounds, 1))));
}

std::vector<double> evenly_thinned(const std::vector<double>& rounds, std::size_t kept) {
  const std::size_t n = rounds.size();
  if (n <= kept)
    return rounds;
  std::vector<double> out;
  out.reserve(kept);
  for (std::size_t i = 0; i < kept; ++i)
    out.push_back(rounds[i * n / kept]);
  return out;
}

closed_loop_runner::closed_loop_runner(closed_loop_settings settings, std::vector<bench_case> cases)
    : settings_(std::move(settings)) {
  for (auto& c : cases) {
    entry e;
    e.name = c.name();
    e.c = std::move(c);
    e.index = cases_.entries().size() + 1;
    cases_.add(std::move(e));
  }
}

void closed_loop_runner::show_progress(const entry& e, const std::string& what) const {
  if (!settings_.progress)
    return;
  std::cerr << "\r\x1b[K[" << e.index << "/" << cases_.entries().size() << "] " << e.name << " "
            << what << std::flush;
}

void closed_loop_runner::fail(entry& e, const std::string& message) {
  if (e.record.error.empty())
    e.record.error = message;
  if (server_lost_)
    return;  // said once, by the program
  if (settings_.progress)
    std::cerr << "\r\x1b[K";
  if (server_refuses_connections()) {
    server_lost_ = e.name + ": " + message;
    return;
  }
  std::cerr << "poolbench: " << e.name << ": " << message << "\n";
}

// Tells a server that went away (killed, crashed) from one that answers
// wrongly: only the connection matters. A dying server can still complete a
// connect and then reset it (its listening socket closes last), so a broken
// connection is probed again, a few times and briefly; any answer, or a
// connection held until the short read timeout, means the server is there.
bool closed_loop_runner::server_refuses_connections() const {
  auto options = settings_.client;
  options.mode = http::connection::fresh;
  options.read_timeout = std::min(options.read_timeout, std::chrono::milliseconds(200));
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (attempt > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      http::sync_client probe(settings_.server, options);
      (void)probe.get(settings_.server.hello_target("probe", 0));
      return false;
    } catch (const http::request_error& ex) {
      if (ex.why() == http::request_error::kind::cannot_connect)
        return true;
      if (ex.why() != http::request_error::kind::io)
        return false;
    } catch (const std::exception&) {
      return false;
    }
  }
  return false;
}

// Two untimed rounds through a freshly built strategy: the first proves every
// body is right before anything is timed; the second, warm like the timed
// ones (connections open, threads started), tells how many rounds fill
// min_time. A first round's set-up would size short rounds far too few.
void closed_loop_runner::verify(entry& e) {
  if (server_lost_) {
    e.record.error = "skipped: the server went away";
    e.rounds = 1;
    return;
  }
  show_progress(e, "verifying");
  try {
    auto strategy = make_strategy(e.c, settings_.server, settings_.client);
    const auto delays = delays_of_round(e.c, {settings_.seed, verification_repetition, 0});
    verify_round(e.c, settings_.server, strategy->run_round(delays), settings_.client.expect,
                 delays);
    if (settings_.rounds) {
      e.rounds = *settings_.rounds;
    } else {
      const auto sizing = delays_of_round(e.c, {settings_.seed, verification_repetition, 1});
      const auto start = clock::now();
      verify_round(e.c, settings_.server, strategy->run_round(sizing), settings_.client.expect,
                   sizing);
      e.rounds = sized_rounds(settings_.min_time * e.c.min_time_scale, seconds_since(start),
                              settings_.max_rounds);
    }
  } catch (const std::exception& ex) {
    e.rounds = 1;
    e.verification_failed = true;
    e.wrong_answer = is_wrong_answer(ex);
    if (e.index == 1 && e.wrong_answer) {
      // Not this case's problem: the server does not answer as expected.
      // Said once, by the program, instead of once per case.
      e.record.error = ex.what();
      wrong_server_ = e.name + ": " + ex.what();
      return;
    }
    fail(e, detail::describe(std::current_exception()));
  }
}

void closed_loop_runner::register_entry(entry& e, std::size_t repetitions) {
  e.repetitions += repetitions;
  register_case(
      e.name, [this, &e](benchmark::State& state) { run(e, state); }, e.rounds, repetitions);
}

std::vector<std::size_t> closed_loop_runner::blocks() const {
  std::vector<std::size_t> out;
  for (const auto& e : cases_.entries())
    out.push_back(e.c.block);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void closed_loop_runner::verify_and_register(std::optional<std::size_t> block) {
  for (auto& e : cases_.entries()) {
    if (block && e.c.block != *block)
      continue;
    verify(e);
    if (wrong_server_)
      break;  // nothing is registered: the program stops with one line
    register_entry(e, settings_.repetitions);
  }
  if (settings_.progress)
    std::cerr << "\r\x1b[K";
}

std::size_t closed_loop_runner::register_more(const std::map<std::string, std::size_t>& extra,
                                              std::size_t block) {
  std::size_t registered = 0;
  for (auto& e : cases_.entries()) {
    if (e.c.block != block)
      continue;
    if (const auto it = extra.find(e.name); it != extra.end() && it->second > 0) {
      register_entry(e, it->second);
      ++registered;
    }
  }
  return registered;
}

std::size_t closed_loop_runner::cases_before(std::size_t block) const {
  return static_cast<std::size_t>(
      std::count_if(cases_.entries().begin(), cases_.entries().end(),
                    [block](const entry& e) { return e.c.block < block; }));
}

// Why this repetition must not run: the case failed already (said once; a
// hung server would cost a timeout per repetition), or the server is gone.
std::optional<std::string> closed_loop_runner::reason_to_skip(const entry& e) const {
  if (server_lost_)
    return std::string("skipped: the server went away");
  if (e.verification_failed)
    return "verification failed: " + e.record.error;
  if (!e.record.error.empty())
    return "skipped after an earlier repetition failed: " + e.record.error;
  return std::nullopt;
}

// One call = one repetition (the iteration count is fixed, so Google
// Benchmark never calls twice to size it): build the strategy and run its
// warm-up rounds untimed, then time each round, each a GB iteration.
void closed_loop_runner::run(entry& e, benchmark::State& state) {
  auto& record = e.record;
  record.rounds.emplace_back();
  run_order_.push_back(e.name + "#" + std::to_string(record.rounds.size()));
  // This repetition's place in the delay stream, and the next round's.
  round_key key{settings_.seed, record.rounds.size() - 1, 0};
  if (const auto why = reason_to_skip(e)) {
    skip_repetition(state, *why);
    return;
  }
  if (settings_.noise != nullptr)
    settings_.noise->between_cases(e.name);
  const auto repetition_start = clock::now();  // what one more repetition costs, from here
  show_progress(e, "repetition " + std::to_string(record.rounds.size()) + "/" +
                       std::to_string(e.repetitions));
  std::unique_ptr<client_strategy> strategy;
  cost_meter meter({client_threads(e.c), settings_.server_pid, settings_.server_threads});
  pool_lifecycle pool;
  try {
    if (cost_counters_on())
      meter.take_baseline();
    const auto building = clock::now();
    strategy = make_strategy(e.c, settings_.server, settings_.client);
    pool.start_seconds = seconds_since(building);
    // Warm means warm: clients created, connections open, caches touched,
    // through the same pool and clients the timed rounds use.
    for (std::size_t i = 0; i < settings_.warmup_rounds; ++i, ++key.round) {
      const auto delays = delays_of_round(e.c, key);
      verify_round(e.c, settings_.server, strategy->run_round(delays), settings_.client.expect,
                   delays);
    }
  } catch (const std::exception&) {
    const auto why = detail::describe(std::current_exception());
    fail(e, why);
    skip_repetition(state, why);
    return;
  }
  // Every round for the counters; the record keeps a bounded thinning.
  std::vector<double> rounds;
  rounds.reserve(e.rounds);
  // This repetition's latencies, merged into the record only if it passes.
  results::latency_histogram service, queue;
  drawn_round drawn_total;  // summed over the timed rounds (drawn delays only)
  rejection_counts answers;
  const auto workers = [&strategy] { return strategy->worker_pids(); };
  const bool metered = cost_counters_on();
  std::optional<server_stats> server_before;
  if (!settings_.server_stats_path.empty()) {
    try {  // untimed, before the meter starts: only the timed rounds count
      server_before = read_server_stats(settings_.server, settings_.server_stats_path, true);
    } catch (const std::exception& ex) {
      fail(e, ex.what());
      skip_repetition(state, ex.what());
      return;
    }
  }
  if (metered)
    meter.start(workers());
  announce_test_event("timed " + e.name + " " + std::to_string(record.rounds.size()));
  for (auto _ : state) {
    try {
      const auto delays = delays_of_round(e.c, key);
      ++key.round;
      const auto start = clock::now();
      auto result = strategy->run_round(delays);
      verify_round(e.c, settings_.server, result, settings_.client.expect, delays);
      const double seconds = seconds_since(start);
      state.SetIterationTime(seconds);
      rounds.push_back(seconds);
      answers.add(result);
      if (e.c.delay) {  // untimed: after SetIterationTime
        const auto drawn = describe_drawn_round(e.c, delays);
        drawn_total.delay_sum_s += drawn.delay_sum_s;
        drawn_total.ideal_s += drawn.ideal_s;
      }
      add_all(service, result.service);  // untimed: after SetIterationTime
      add_all(queue, result.queue);
      if (metered)
        meter.after_round(rounds.size(), e.rounds, workers);  // untimed: after SetIterationTime
    } catch (const std::exception&) {
      const auto why = detail::describe(std::current_exception());
      fail(e, why);
      state.SkipWithError(why.c_str());
      break;
    }
  }
  std::optional<window_cost> cost;
  if (metered)
    cost = meter.finish(workers(), rounds.size() * e.c.names.size());
  std::optional<server_stats> server_after;
  if (server_before && !state.error_occurred()) {
    try {
      server_after = read_server_stats(settings_.server, settings_.server_stats_path, false);
    } catch (const std::exception& ex) {
      fail(e, ex.what());
      state.SkipWithError(ex.what());
    }
  }
  const auto stopping = clock::now();
  strategy.reset();  // a warm pool shuts down here, untimed
  pool.stop_seconds = seconds_since(stopping);
  e.repetition_seconds.push_back(seconds_since(repetition_start));
  record.rounds.back() = evenly_thinned(rounds, kept_rounds_per_repetition);
  if (state.error_occurred())
    return;
  set_counters(state, e.c, rounds);
  answers.set_counters(state);
  if (server_after)
    set_server_counters(state, *server_after, rounds.size());
  // Drawn delays: what this repetition's rounds asked of the server, and
  // the exact ideal round for those very delays (cost_counters).
  std::optional<double> drawn_ideal;
  if (e.c.delay && !rounds.empty()) {
    const auto n = static_cast<double>(rounds.size());
    state.counters["drawn_delay_ms_per_round"] = drawn_total.delay_sum_s * 1e3 / n;
    drawn_ideal = drawn_total.ideal_s / n;
  }
  if (cost) {
    for (const auto& [name, value] :
         cost_counters(e.c, *cost, state.counters["mean"], pool, drawn_ideal))
      state.counters[name] = value;
  }
  if (settings_.noise != nullptr) {
    const auto round_trip = settings_.noise->start().readings.wakeup_round_trip_s;
    for (const auto& [name, value] : wakeup_counters(e.c, state.counters["mean"], round_trip))
      state.counters[name] = value;
  }
  record.service.merge(service);
  record.queue.merge(queue);
}

std::map<std::string, case_record> closed_loop_runner::records() const {
  return cases_.records();
}

std::map<std::string, double> closed_loop_runner::repetition_seconds() const {
  std::map<std::string, double> out;
  for (const auto& e : cases_.entries()) {
    if (e.repetition_seconds.empty())
      continue;
    double sum = 0;
    for (double s : e.repetition_seconds)
      sum += s;
    out[e.name] = sum / static_cast<double>(e.repetition_seconds.size());
  }
  return out;
}

}  // namespace poolbench::runner
