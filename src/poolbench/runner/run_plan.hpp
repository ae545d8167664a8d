#pragma once
// What one poolbench run is asked to do, typed: the command line (bench/runner/cli.cpp)
// produces it, everything after works from it.

#include <poolbench/stats/sequential_rule.hpp>

#include <poolbench/delay/delay_distribution.hpp>
#include <poolbench/results/workload.hpp>

#include <poolbench/runner/backend_model.hpp>
#include <poolbench/runner/cpu_idle.hpp>
#include <poolbench/runner/floor_backend.hpp>

#include <poolbench/http/answer_check.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::runner {

struct run_plan {
  std::string url;  // empty: start the embedded poolbench-server
  std::size_t server_threads = 1;
  std::string server_io_model = "shared";  // poolbench-server --io-model: shared or reuseport
  std::vector<int> server_cpus;            // sched_setaffinity lists; empty = not pinned
  std::vector<int> client_cpus;
  // The embedded server's backend model (poolbench --server-max-in-flight ...).
  backend_model server_model;

  // What each request asks and what a correct answer is.
  std::string path_template;  // --path ("/api/v1/users/{name}"); empty: the URL's path + "/{name}"
  http::answer_check expect;  // --expect (default: the hello protocol)
  // --floor-backend: the kernel interface the floor uses (floor_backend.hpp).
  floor_backend_choice floor_backend = floor_backend_choice::automatic;
  // --cpu-idle: whether idle CPUs poll for the run (cpu_idle.hpp).
  cpu_idle_choice cpu_idle = cpu_idle_choice::os;
  unsigned retries = 10;  // --retries: of a 429 or 503, per request

  // The workload grid (unused by the default experiment).
  // any of --names --batch --workers --delay-ms --delay --keepalive --rate
  bool workload_given = false;
  bool quick = false;
  bool zoo = false;  // --zoo: the executor zoo (zoo_experiment) instead of the default experiment
  std::vector<std::string> names;  // empty: the article's names, or `batch` generated ones
  std::size_t batch = 0;
  std::vector<std::size_t> workers{3};
  std::vector<std::uint64_t> delays_ms{0};
  // --delay: delays drawn per request (canonical specs); when given, the
  // cases run these instead of delays_ms.
  std::vector<delay::delay_distribution> delays;
  std::vector<results::strategy> strategies;
  std::vector<results::pool_mode> modes;
  std::vector<results::connection> connections{results::connection::fresh};

  // How each case is measured.
  std::optional<std::size_t> rounds;  // fixed rounds per repetition, else sized from min_time
  double min_time_s = 0.2;
  // A guard, not a budget: short rounds get what min_time takes
  // (closed_loop_runner.hpp default_max_rounds).
  std::size_t max_rounds = 100'000;
  std::size_t repetitions = 9;
  std::size_t warmup_rounds = 1;
  bool interleave = false;
  // The second stage (second_stage.hpp): seconds the extra repetitions of
  // inconclusive workloads may take (0: none), and the rule that sizes them.
  double extra_budget_s = 0;
  stats::sequential_settings sequential;
  std::chrono::milliseconds read_timeout{30'000};

  // The open loop, when `rates` is not empty.
  std::vector<double> rates;
  double duration_s = 5;
  results::arrivals arrivals = results::arrivals::poisson;
  // One seed for every random stream of a run: the open loop's poisson
  // schedule and the delays drawn for --delay.
  std::uint64_t seed = 1;
  std::chrono::milliseconds drain_timeout{5000};

  bool noise_check = false;  // only measure how quiet the machine is, and say it
  bool allow_busy = false;   // a busy machine is recorded and warned about, not refused
  // Seconds the start check may wait for a load average that is busy on its
  // own to settle (load_settle.hpp); 0: measure at once.
  unsigned settle_s = 0;
  // The result file; empty: tables only. It is replaced only after a run in
  // which every case measured; otherwise the run goes beside it
  // (failed_out_path), unless `out_only_if_all_measured`: then nothing is written.
  std::string out;
  bool out_only_if_all_measured = false;
  std::vector<std::string> benchmark_flags;  // --benchmark_* passed to Google Benchmark
  std::string command_line;

  [[nodiscard]] bool open_loop() const { return !rates.empty(); }
};

}  // namespace poolbench::runner
