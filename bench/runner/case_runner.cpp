#include "case_runner.hpp"

#include "round_runner.hpp"

#include <poolbench/executor/errors.hpp>
#include <poolbench/http/request_error.hpp>
#include <poolbench/http/sync_client.hpp>
#include <poolbench/report/statistics.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

namespace poolbench::runner {
namespace {

using clock = std::chrono::steady_clock;

double seconds_since(clock::time_point start) {
  return std::chrono::duration<double>(clock::now() - start).count();
}

// Linear interpolation between closest ranks; `sorted` must be sorted.
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty())
    return NAN;
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(rank));
  const auto high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - static_cast<double>(low));
}

void set_counters(benchmark::State& state, const bench_case& c, const std::vector<double>& rounds,
                  std::vector<double>& latencies) {
  const auto stats = report::compute_statistics(rounds);
  double total = 0;
  for (double r : rounds)
    total += r;
  std::sort(latencies.begin(), latencies.end());
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
  counters["p50_latency"] = percentile(latencies, 0.50);
  counters["p99_latency"] = percentile(latencies, 0.99);
  counters["batch"] = static_cast<double>(c.names.size());
  counters["workers"] = static_cast<double>(c.workers);
  counters["delay_ms"] = static_cast<double>(c.delay_ms);
  counters["keepalive"] = c.keepalive ? 1.0 : 0.0;
}

// The error as a line for a person: a broken process pool says so, since its
// own message only names the dead worker.
std::string describe(const std::exception& ex) {
  if (dynamic_cast<const broken_pool*>(&ex) != nullptr)
    return std::string("broken_pool: ") + ex.what();
  return ex.what();
}

}  // namespace

case_runner::case_runner(run_settings settings, std::vector<bench_case> cases)
    : settings_(std::move(settings)) {
  for (auto& c : cases) {
    entry e;
    e.name = c.name();
    e.c = std::move(c);
    e.index = entries_.size() + 1;
    entries_.push_back(std::move(e));
  }
}

void case_runner::show_progress(const entry& e, const std::string& what) const {
  if (!settings_.progress)
    return;
  std::cerr << "\r\x1b[K[" << e.index << "/" << entries_.size() << "] " << e.name << " " << what
            << std::flush;
}

void case_runner::fail(entry& e, const std::string& message) {
  e.failed = true;
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
bool case_runner::server_refuses_connections() const {
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

// One untimed round through a freshly built strategy: proves every body is
// right before anything is timed, and tells how many rounds fill min_time.
void case_runner::verify(entry& e) {
  if (server_lost_) {
    e.verification_error = "skipped: the server went away";
    e.rounds = 1;
    e.failed = true;
    return;
  }
  show_progress(e, "verifying");
  try {
    auto runner = make_round_runner(e.c, settings_.server, settings_.client);
    const auto start = clock::now();
    const auto result = runner->run_round();
    verify_round(e.c, settings_.server, result);
    const double seconds = seconds_since(start);
    if (settings_.rounds) {
      e.rounds = *settings_.rounds;
    } else {
      const double wanted = std::ceil(settings_.min_time / std::max(seconds, 1e-6));
      e.rounds = static_cast<std::size_t>(
          std::clamp(wanted, 1.0, static_cast<double>(settings_.max_rounds)));
    }
  } catch (const std::exception& ex) {
    e.verification_error = describe(ex);
    e.rounds = 1;
    fail(e, e.verification_error);
  }
}

void case_runner::verify_and_register() {
  for (auto& e : entries_) {
    verify(e);
    benchmark::RegisterBenchmark(e.name.c_str(),
                                 [this, &e](benchmark::State& state) { run(e, &state); })
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->Iterations(static_cast<benchmark::IterationCount>(e.rounds))
        ->Repetitions(static_cast<int>(settings_.repetitions));
  }
  if (settings_.progress)
    std::cerr << "\r\x1b[K";
}

// One call = one repetition (the iteration count is fixed, so Google
// Benchmark never calls twice to size it): build the strategy untimed, then
// time each round, each a GB iteration.
void case_runner::run(entry& e, void* state_ptr) {
  auto& state = *static_cast<benchmark::State*>(state_ptr);
  e.samples.emplace_back();
  if (!e.verification_error.empty()) {
    state.SkipWithError(("verification failed: " + e.verification_error).c_str());
    return;
  }
  if (server_lost_) {
    e.failed = true;
    state.SkipWithError("skipped: the server went away");
    return;
  }
  if (e.failed) {  // said once already; a hung server would cost a timeout per repetition
    state.SkipWithError("skipped: an earlier repetition of this case failed");
    return;
  }
  show_progress(e, "repetition " + std::to_string(e.samples.size()) + "/" +
                       std::to_string(settings_.repetitions));
  std::unique_ptr<round_runner> runner;
  try {
    runner = make_round_runner(e.c, settings_.server, settings_.client);
  } catch (const std::exception& ex) {
    state.SkipWithError(describe(ex).c_str());
    fail(e, describe(ex));
    return;
  }
  auto& rounds = e.samples.back();
  rounds.reserve(e.rounds);
  std::vector<double> latencies;
  latencies.reserve(e.rounds * e.c.names.size());
  for (auto _ : state) {
    try {
      const auto start = clock::now();
      auto result = runner->run_round();
      verify_round(e.c, settings_.server, result);
      const double seconds = seconds_since(start);
      state.SetIterationTime(seconds);
      rounds.push_back(seconds);
      latencies.insert(latencies.end(), result.latencies.begin(), result.latencies.end());
    } catch (const std::exception& ex) {
      state.SkipWithError(describe(ex).c_str());
      fail(e, describe(ex));
      break;
    }
  }
  runner.reset();  // a warm pool shuts down here, untimed
  if (!state.error_occurred())
    set_counters(state, e.c, rounds, latencies);
}

std::map<std::string, std::vector<std::vector<double>>> case_runner::samples() const {
  std::map<std::string, std::vector<std::vector<double>>> out;
  for (const auto& e : entries_)
    out[e.name] = e.samples;
  return out;
}

std::size_t case_runner::failed_cases() const {
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(), [](const entry& e) { return e.failed; }));
}

}  // namespace poolbench::runner
