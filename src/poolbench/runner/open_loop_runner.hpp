#pragma once
// Open-loop mode (poolbench --rate): requests arrive on a schedule fixed
// before the run, whatever the pool does with them, so queueing shows up as
// latency instead of slowing the senders down (coordinated omission). One
// Google Benchmark entry per strategy case and rate:
//   <strategy>/warm/open/rate:R/workers:N/delay_ms:D[/keepalive:1]
// Latency of a request = completion - intended send time; service time
// (worker start -> checked answer) is kept beside it.

#include <poolbench/runner/arrival_schedule.hpp>
#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/case_record.hpp>
#include <poolbench/runner/case_registry.hpp>

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/url.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace benchmark {
class State;
}

namespace poolbench::runner {

struct open_loop_settings {
  http::url server;
  http::client_options client;
  std::vector<double> rates;  // offered requests per second
  double duration_s = 5;
  arrivals kind = arrivals::poisson;
  std::uint64_t seed = 1;
  std::chrono::milliseconds drain_timeout{5000};
  bool progress = false;
};

// "<strategy>/warm/open/rate:R/workers:N/delay_ms:D[/keepalive:1]"; R as
// given, without trailing zeros.
[[nodiscard]] std::string open_loop_name(const bench_case& c, double rate);

class open_loop_runner {
 public:
  // `cases`: warm pool cases (serial and the floor have no pool to queue in:
  // std::invalid_argument).
  open_loop_runner(open_loop_settings settings, const std::vector<bench_case>& cases);

  // Registers one benchmark per case and rate (one repetition, one iteration).
  void register_benchmarks();

  // After the run: what the result file adds to each benchmark's run
  // ("latency", "histogram", "open_loop"), and the failed cases' errors.
  [[nodiscard]] std::map<std::string, nlohmann::ordered_json> run_extras() const;
  [[nodiscard]] std::map<std::string, case_record> records() const { return cases_.records(); }
  [[nodiscard]] std::size_t failed_cases() const { return cases_.failed_cases(); }
  // Each benchmark's workload, by name (arrivals included: the name lacks them).
  [[nodiscard]] std::map<std::string, results::workload> workloads() const;

 private:
  struct entry {
    bench_case c;
    double rate = 0;
    std::string name;
    nlohmann::ordered_json extras;
    case_record record;
  };
  void run(entry& e, benchmark::State& state);

  open_loop_settings settings_;
  case_registry<entry> cases_;
};

}  // namespace poolbench::runner
