#include <poolbench/runner/open_loop_runner.hpp>

#include <poolbench/results/strategy_traits.hpp>

#include <poolbench/runner/strategy_factory.hpp>
#include <poolbench/runner/test_events.hpp>

#include <poolbench/results/clock.hpp>
#include <poolbench/results/latency_histogram.hpp>

#include <poolbench/http/response_check.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace poolbench::runner {
namespace {

// What one open-loop run measured.
struct open_loop_summary {
  results::latency_histogram latency;  // completion - intended send time
  results::latency_histogram service;  // worker start -> checked answer
  std::size_t scheduled = 0;
  std::size_t completed = 0;
  // Answers of completed requests, and the 429s and 503s among them (retried:
  // counted outcomes of a backend with limits, not failures).
  std::size_t answers = 0;
  std::size_t rejected = 0;
  std::int64_t first_intended_ns = 0;
  std::int64_t last_done_ns = 0;
  std::string error;  // the first failed request, if any

  [[nodiscard]] double elapsed_s() const {
    return last_done_ns > first_intended_ns
               ? static_cast<double>(last_done_ns - first_intended_ns) * 1e-9
               : 0.0;
  }
  // The share of answers that were 429 or 503.
  [[nodiscard]] double rejected_share() const {
    return answers > 0 ? static_cast<double>(rejected) / static_cast<double>(answers) : 0.0;
  }
  [[nodiscard]] double achieved_rate() const {
    return elapsed_s() > 0 ? static_cast<double>(completed) / elapsed_s() : 0.0;
  }
};

open_loop_summary summarize(const open_loop_plan& plan, const std::vector<request_outcome>& out,
                            const bench_case& c, const http::answer_check& expect) {
  open_loop_summary s;
  s.scheduled = plan.intended_ns.size();
  s.first_intended_ns = plan.intended_ns.empty() ? 0 : plan.intended_ns.front();
  for (std::size_t k = 0; k < out.size(); ++k) {
    const auto& r = out[k];
    if (!r.error.empty()) {
      if (s.error.empty())
        s.error = r.error;
      continue;
    }
    if (!r.completed())
      continue;
    const auto& name = c.names[k % c.names.size()];
    if (expect.is_hello() && r.body != http::expected_body(name) && s.error.empty())
      s.error = "request " + std::to_string(k + 1) + " for '" + name + "' got '" + r.body + "'";
    ++s.completed;
    const std::size_t answers = std::max<std::size_t>(r.attempts, 1);
    s.answers += answers;
    s.rejected += answers - 1;
    s.latency.add(static_cast<double>(r.done_ns - plan.intended_ns[k]) * 1e-9);
    s.service.add(static_cast<double>(r.done_ns - r.start_ns) * 1e-9);
    s.last_done_ns = std::max(s.last_done_ns, r.done_ns);
  }
  return s;
}

nlohmann::ordered_json percentiles(const results::latency_histogram& h) {
  return {{"p50", h.percentile(0.50)},
          {"p90", h.percentile(0.90)},
          {"p99", h.percentile(0.99)},
          {"p999", h.percentile(0.999)},
          {"max", h.max()}};
}

}  // namespace

std::string open_loop_name(const bench_case& c, double rate) {
  return results::case_name(
      c.open_loop_workload(rate, results::arrivals::poisson));  // arrivals: not in names
}

open_loop_runner::open_loop_runner(open_loop_settings settings,
                                   const std::vector<bench_case>& cases)
    : settings_(std::move(settings)) {
  for (const auto& c : cases) {
    if (!results::traits_of(c.strategy).open_loop)
      throw std::invalid_argument("open-loop runs pools: " + std::string(to_string(c.strategy)) +
                                  " has no pool to queue requests in");
    if (c.delay)
      throw std::invalid_argument("the open loop sends each case's constant delay_ms; " + c.name() +
                                  " draws its delays");
    if (c.mode != pool_mode::warm)
      continue;  // a pool built per request would measure construction, not queueing
    for (double rate : settings_.rates) {
      entry e;
      e.c = c;
      e.rate = rate;
      e.name = open_loop_name(c, rate);
      cases_.add(std::move(e));
    }
  }
}

void open_loop_runner::register_benchmarks() {
  for (auto& e : cases_.entries())
    register_case(
        e.name, [this, &e](benchmark::State& state) { run(e, state); }, 1, 1);
}

void open_loop_runner::run(entry& e, benchmark::State& state) {
  if (settings_.progress)
    std::cerr << "\r\x1b[K" << e.name << std::flush;
  open_loop_summary summary;
  std::string error;
  for (auto _ : state) {
    try {
      auto strategy = make_strategy(e.c, settings_.server, settings_.client);
      // Untimed: connections open, bodies proven right, before the schedule.
      verify_round(e.c, settings_.server, strategy->run_round(delays_of_round(e.c, {})),
                   settings_.client.expect);
      open_loop_plan plan;
      plan.drain_timeout = settings_.drain_timeout;
      plan.intended_ns =
          arrival_offsets_ns(e.rate, settings_.duration_s, settings_.kind, settings_.seed);
      const auto start =
          results::steady_now_ns() + 1'000'000;  // 1 ms ahead: the first send is on time
      for (auto& t : plan.intended_ns)
        t += start;
      announce_test_event("timed " + e.name + " 1");
      summary = summarize(plan, strategy->run_open_loop(plan), e.c, settings_.client.expect);
      strategy.reset();  // cancels what is still queued, waits for what runs
      error = summary.error;
    } catch (const std::exception& ex) {
      error = ex.what();
    }
    if (!error.empty()) {
      state.SkipWithError(error.c_str());
      break;
    }
    state.SetIterationTime(std::max(summary.elapsed_s(), 1e-9));
  }
  if (settings_.progress)
    std::cerr << "\r\x1b[K";
  if (!error.empty()) {
    e.record.error = error;
    std::cerr << "poolbench: " << e.name << ": " << error << "\n";
    return;
  }
  auto& counters = state.counters;
  counters["offered_rate"] = e.rate;
  counters["achieved_rate"] = summary.achieved_rate();
  counters["requests"] = static_cast<double>(summary.scheduled);
  counters["completed"] = static_cast<double>(summary.completed);
  counters["incomplete"] = static_cast<double>(summary.scheduled - summary.completed);
  counters["rejected"] = static_cast<double>(summary.rejected);
  counters["rejected_share"] = summary.rejected_share();
  // Percentiles read once from each histogram, for the counters and the JSON.
  const auto latency = percentiles(summary.latency);
  const auto service = percentiles(summary.service);
  for (const char* key : {"p50", "p90", "p99", "p999", "max"})
    counters[key] = latency[key].get<double>();
  counters["service_p50"] = service["p50"].get<double>();
  counters["service_p99"] = service["p99"].get<double>();

  e.extras["open_loop"] = {{"offered_rate", e.rate},
                           {"achieved_rate", summary.achieved_rate()},
                           {"requests", summary.scheduled},
                           {"completed", summary.completed},
                           {"incomplete", summary.scheduled - summary.completed},
                           {"rejected", summary.rejected},
                           {"rejected_share", summary.rejected_share()},
                           {"latency_s", latency},
                           {"service_s", service}};
  e.extras["histogram"] = summary.latency.to_json();
}

std::map<std::string, nlohmann::ordered_json> open_loop_runner::run_extras() const {
  std::map<std::string, nlohmann::ordered_json> out;
  for (const auto& e : cases_.entries()) {
    if (!e.extras.is_null())
      out[e.name] = e.extras;
  }
  return out;
}

std::map<std::string, results::workload> open_loop_runner::workloads() const {
  std::map<std::string, results::workload> out;
  for (const auto& e : cases_.entries())
    out.emplace(e.name, e.c.open_loop_workload(e.rate, settings_.kind));
  return out;
}

}  // namespace poolbench::runner
