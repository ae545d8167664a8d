#include <poolbench/runner/measurement.hpp>

#include <poolbench/runner/closed_loop_runner.hpp>
#include <poolbench/runner/open_loop_runner.hpp>
#include <poolbench/runner/provenance.hpp>
#include <poolbench/runner/result_file.hpp>
#include <poolbench/runner/run_collector.hpp>
#include <poolbench/runner/second_stage.hpp>

#include <benchmark/benchmark.h>

#include <unistd.h>

namespace poolbench::runner {
namespace {

closed_loop_settings closed_settings(const run_plan& plan, const server_session& server) {
  closed_loop_settings s;
  s.server = server.url();
  if (server.embedded()) {  // with --url the server is not ours to measure
    s.server_pid = server.pid();
    s.server_threads = plan.server_threads;
    s.server_stats_path = server.stats_path();
  }
  s.client.read_timeout = plan.read_timeout;
  s.client.expect = plan.expect;
  s.client.retry.retries = plan.retries;
  s.rounds = plan.rounds;
  s.min_time = plan.min_time_s;
  s.max_rounds = plan.max_rounds;
  s.repetitions = plan.repetitions;
  s.warmup_rounds = plan.warmup_rounds;
  s.seed = plan.seed;
  s.progress = isatty(STDERR_FILENO) == 1;
  return s;
}

open_loop_settings open_settings(const run_plan& plan, const closed_loop_settings& closed) {
  open_loop_settings s;
  s.server = closed.server;
  s.client = closed.client;
  s.rates = plan.rates;
  s.duration_s = plan.duration_s;
  s.kind = plan.arrivals;
  s.seed = plan.seed;
  s.drain_timeout = plan.drain_timeout;
  s.progress = closed.progress;
  return s;
}

}  // namespace

std::vector<bench_case> cases_of(const run_plan& plan) {
  if (plan.zoo)
    return zoo_experiment(plan.quick, plan.strategies);
  if (!plan.workload_given)
    return default_experiment(plan.quick, plan.strategies, plan.modes);
  grid g;
  g.names = plan.batch > 0 ? generated_names(plan.batch)
                           : (plan.names.empty() ? article_names() : plan.names);
  g.workers = plan.workers;
  g.delays_ms = plan.delays_ms;
  g.delays = plan.delays;
  g.connections = plan.connections;
  g.strategies = plan.strategies;
  g.modes = plan.modes;
  return expand(g);
}

bool initialize_google_benchmark(const run_plan& plan, const char* argv0) {
  // Google Benchmark keeps pointers into argv (the executable's name goes
  // into the context): the strings must outlive the run.
  static std::vector<std::string> args;
  args = {argv0};
  args.insert(args.end(), plan.benchmark_flags.begin(), plan.benchmark_flags.end());
  args.push_back(std::string("--benchmark_enable_random_interleaving=") +
                 (plan.interleave ? "true" : "false"));
  static std::vector<char*> argv;
  argv.clear();
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  benchmark::Initialize(&argc, argv.data());
  return !benchmark::ReportUnrecognizedArguments(argc, argv.data());
}

measurement measure(const run_plan& plan, std::vector<bench_case> cases,
                    const server_session& server, nlohmann::ordered_json context,
                    noise_monitor* noise) {
  // Registered benchmarks point at their runner: none may be left from an
  // earlier measure() in this process.
  benchmark::ClearRegisteredBenchmarks();
  auto closed = closed_settings(plan, server);
  closed.noise = noise;
  result_additions additions;
  measurement m;
  run_collector collector;
  std::vector<collected_run> runs;
  if (plan.open_loop()) {
    open_loop_runner runner(open_settings(plan, closed), cases);
    runner.register_benchmarks();
    m.benchmarks_run = collector.run_registered();
    runs = collector.take_runs();
    additions.records = runner.records();
    additions.run_extras = runner.run_extras();
    additions.workloads = runner.workloads();
    m.failed_cases = runner.failed_cases();
  } else {
    for (const auto& c : cases)
      additions.workloads.emplace(c.name(), c.workload());
    closed_loop_runner runner(closed, std::move(cases));
    // Block by block (bench_case::block), each interleaved within itself.
    for (const auto block : runner.blocks()) {
      benchmark::ClearRegisteredBenchmarks();
      runner.verify_and_register(block);
      if (runner.wrong_server()) {
        benchmark::ClearRegisteredBenchmarks();
        benchmark::Shutdown();
        m.wrong_server = runner.wrong_server();
        m.failed_cases = 1;
        return m;
      }
      m.benchmarks_run += collector.run_registered();
      auto block_runs = collector.take_runs();
      const auto families_before = static_cast<std::int64_t>(runner.cases_before(block));
      for (auto& r : block_runs) {
        r.family_index += families_before;
        runs.push_back(std::move(r));
      }
    }
    if (m.benchmarks_run > 0 && !runner.server_lost()) {
      additions.records = runner.records();
      auto second = run_second_stage(runner, std::move(runs), additions, plan.sequential,
                                     plan.extra_budget_s);
      runs = std::move(second.runs);
      context["sequential"] = std::move(second.record);
    }
    additions.records = runner.records();
    additions.run_order = runner.run_order();
    m.failed_cases = runner.failed_cases();
    m.server_lost = runner.server_lost();
  }
  benchmark::ClearRegisteredBenchmarks();
  benchmark::Shutdown();
  context["load_average_end"] = load_average();
  if (noise != nullptr)
    context["noise"] = noise->to_json();
  additions.context = std::move(context);
  m.document = build_result_document(runs, collector.machine(), additions);
  return m;
}

}  // namespace poolbench::runner
