// poolbench: the article's experiment in C++. Runs the serial, thread_pool,
// process_pool and async_pool strategies against a hello server under Google
// Benchmark, writes Google Benchmark JSON with per-round samples, and prints a
// pytest-benchmark-style table. See `poolbench --help`.
//
// Exit codes: 0 all benchmarks measured, 1 some benchmark failed (wrong
// response, broken connection, broken pool), 2 bad usage or server not
// reachable (before the run, or lost mid-run).

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/closed_loop_runner.hpp>
#include <poolbench/runner/cpu_affinity.hpp>
#include <poolbench/runner/embedded_server.hpp>
#include <poolbench/runner/open_loop_runner.hpp>
#include <poolbench/runner/provenance.hpp>
#include <poolbench/runner/result_file.hpp>
#include <poolbench/runner/scratch_file.hpp>

#include <poolbench/http/request_error.hpp>
#include <poolbench/http/sync_client.hpp>
#include <poolbench/report/load.hpp>
#include <poolbench/report/open_loop.hpp>
#include <poolbench/report/print_table.hpp>
#include <poolbench/report/provenance_line.hpp>
#include <poolbench/report/summary.hpp>

#include <benchmark/benchmark.h>
#include <CLI/CLI.hpp>

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

namespace {

using namespace poolbench;
using namespace poolbench::runner;

// Thrown by a step that has already said what went wrong: the program exits
// with `code` (2: bad usage or no server).
struct exit_now {
  int code;
};

struct options {
  std::string url;
  std::vector<std::string> names;
  std::size_t batch = 0;
  std::vector<std::size_t> workers{3};
  std::vector<std::uint64_t> delays_ms{0};
  std::vector<std::string> strategies{"serial", "thread_pool", "process_pool", "async_pool",
                                      "floor"};
  std::vector<std::string> modes{"warm", "cold"};
  std::string keepalive = "off";
  std::size_t rounds = 0;
  double min_time = 0.2;
  std::size_t max_rounds = 200;
  std::size_t repetitions = 9;
  std::size_t warmup_rounds = 1;
  std::optional<bool> interleave;  // default: on for the default experiment only
  bool interleave_on = false;      // --interleave
  bool interleave_off = false;     // --no-interleave
  std::string out;
  bool quick = false;
  std::size_t server_threads = 1;
  std::string server_cpus;  // CPU lists for sched_setaffinity, "" = not pinned
  std::string client_cpus;
  std::vector<int> server_cpu_list;  // the same, parsed once
  std::vector<int> client_cpu_list;
  std::size_t read_timeout_ms = 30'000;
  std::vector<double> rates;  // open-loop mode when given
  double duration_s = 5;
  std::string arrivals_name = "poisson";
  std::uint64_t seed = 1;
  double drain_timeout_s = 5;
  bool workload_given = false;
  std::vector<std::string> benchmark_flags;  // --benchmark_* passed to Google Benchmark
  std::string command_line;
};

// Google Benchmark's own console output would repeat every counter of every
// repetition; poolbench shows progress on stderr and one table at the end.
class quiet_reporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

void add_options(CLI::App& app, options& o) {
  app.add_option("--url", o.url,
                 "Server to measure, http://host:port[/path]. Default: start poolbench-server "
                 "(from next to this binary) on 127.0.0.1, port 0, and stop it at the end");
  app.add_option("--names", o.names, "Names of one batch (default: romeo,julliet,mercucio)")
      ->delimiter(',');
  app.add_option("--batch", o.batch, "Batch of N generated names instead of --names")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--workers", o.workers, "Pool sizes to run (list)")
      ->delimiter(',')
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--delay-ms", o.delays_ms, "Server-side latency per request, ms (list)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--strategies", o.strategies,
                 "serial,thread_pool,process_pool,async_pool,floor (floor: the least a client "
                 "can do for a round, raw sockets and epoll with the whole batch in flight; a "
                 "measuring stick, not an executor)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--modes,--variants", o.modes,
                 "warm (pool built outside the timed rounds) and/or cold (built in every round)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_flag("--keepalive{on}", o.keepalive,
               "Reuse one connection per worker: --keepalive, --keepalive=off or "
               "--keepalive=both (default off: a new connection per request, as the article)")
      ->check(CLI::IsMember({"on", "off", "both"}));
  app.add_option("--rounds", o.rounds,
                 "Timed rounds per repetition (default: sized from --min-time)")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--min-time", o.min_time,
                 "Seconds of rounds per repetition, sized by the verification round")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--max-rounds", o.max_rounds, "Upper bound on sized rounds per repetition")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--repetitions", o.repetitions,
                 "Repetitions per case, each with a fresh pool and fresh connections "
                 "(compare's U test wants at least 9)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--warmup-rounds", o.warmup_rounds,
                 "Untimed rounds at the start of every repetition, through the same pool and "
                 "clients as the timed ones (0: time the first round too)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000));
  app.add_flag("--interleave", o.interleave_on,
               "Run the repetitions of all cases in random interleaved order, "
               "so drift over the run is not read as a difference between "
               "cases (default: on for the default experiment, off for a "
               "custom workload); the order is recorded in the JSON");
  app.add_flag("--no-interleave", o.interleave_off, "Run each case's repetitions one after another")
      ->excludes("--interleave");
  app.add_option("--out", o.out,
                 "Write Google Benchmark JSON (with samples) to FILE, atomically: a failed or "
                 "interrupted run leaves an existing FILE as it was");
  app.add_flag("--quick", o.quick,
               "A few seconds in all: 2 repetitions of at most 5 rounds, a small sweep");
  app.add_option("--server-threads", o.server_threads, "Threads of the embedded server")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  auto* open = app.add_option_group(
      "Open loop", "A fixed schedule of arrivals instead of a closed loop of workers");
  open->add_option("--rate", o.rates,
                   "Offered requests per second (list): runs the open-loop mode, one entry "
                   "per strategy and rate, for the warm pools of --strategies")
      ->delimiter(',')
      ->check(CLI::Range(0.001, 1e7));
  open->add_option("--duration", o.duration_s, "Seconds of arrivals per rate")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 3600.0));
  open->add_option("--arrivals", o.arrivals_name,
                   "uniform (every 1/rate s) or poisson (exponential gaps, seeded)")
      ->capture_default_str()
      ->check(CLI::IsMember({"uniform", "poisson"}));
  open->add_option("--seed", o.seed, "Seed of the poisson schedule (recorded in the JSON)")
      ->capture_default_str();
  open->add_option("--drain-timeout", o.drain_timeout_s,
                   "Seconds after the last arrival to wait for answers; the rest count as "
                   "incomplete")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--server-cpus", o.server_cpus,
                 "Pin the embedded server to these CPUs (e.g. 1 or 0-1); recorded in the JSON");
  app.add_option("--client-cpus", o.client_cpus,
                 "Pin poolbench, its pools and workers to these CPUs (e.g. 0); recorded in the "
                 "JSON");
  app.add_option("--read-timeout-ms", o.read_timeout_ms, "Per-request answer timeout")
      ->capture_default_str()
      ->check(CLI::Range(1, 3'600'000));
  app.allow_extras();  // --benchmark_* flags go to Google Benchmark
}

// Step 1: the command line. Throws exit_now for --help (0) and bad usage (2).
options parse_command_line(int argc, char** argv) {
  CLI::App app{
      "poolbench: serial, thread_pool, process_pool and async_pool fetching 'Hello, <name>'\n"
      "from an HTTP server, measured with Google Benchmark. Without workload flags it runs\n"
      "the default experiment: the article's 3 names for every strategy warm and cold, then\n"
      "batch 100 x delay_ms 0,1,10 x workers 1,4,16,64 x keep-alive off/on (warm pools).\n"
      "Every repetition builds its pool and connections anew and runs --warmup-rounds untimed\n"
      "rounds first. Other --benchmark_* flags are passed to Google Benchmark."};
  app.get_formatter()->column_width(30);
  options o;
  add_options(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0)
      throw exit_now{app.exit(e)};
    std::cerr << "poolbench: " << e.what() << " (see --help)\n";
    throw exit_now{2};
  }
  if (o.interleave_on || o.interleave_off)
    o.interleave = o.interleave_on;
  for (const char* flag :
       {"--names", "--batch", "--workers", "--delay-ms", "--keepalive", "--rate"})
    o.workload_given = o.workload_given || app.count(flag) > 0;
  if (!o.rates.empty() && app.count("--strategies") == 0)
    o.strategies = {"thread_pool", "process_pool", "async_pool"};  // the pools: serial has none
  if (!o.rates.empty() && app.count("--modes") == 0)
    o.modes = {"warm"};
  for (const auto& name : o.strategies) {
    if (!o.rates.empty() && (name == "serial" || name == "floor")) {
      std::cerr << "poolbench: --rate runs the open loop through a pool; " << name
                << " has none (use thread_pool, process_pool, async_pool)\n";
      throw exit_now{2};
    }
  }
  if (o.quick) {
    if (app.count("--repetitions") == 0)
      o.repetitions = 2;
    if (app.count("--min-time") == 0)
      o.min_time = 0.01;
    if (app.count("--max-rounds") == 0)
      o.max_rounds = 5;
  }
  for (const auto& extra : app.remaining()) {
    if (extra.rfind("--benchmark_", 0) != 0 || extra.rfind("--benchmark_out", 0) == 0 ||
        extra.rfind("--benchmark_enable_random_interleaving", 0) == 0) {
      std::cerr << "poolbench: unknown option '" << extra
                << "' (see --help; use --out FILE, --interleave)\n";
      throw exit_now{2};
    }
    o.benchmark_flags.push_back(extra);
  }
  if (!o.server_cpus.empty() && !o.url.empty()) {
    std::cerr << "poolbench: --server-cpus pins the embedded server; it cannot pin --url's "
                 "server (use taskset there)\n";
    throw exit_now{2};
  }
  try {
    if (!o.server_cpus.empty())
      o.server_cpu_list = parse_cpu_list(o.server_cpus);
    if (!o.client_cpus.empty()) {
      o.client_cpu_list = parse_cpu_list(o.client_cpus);
      pin_this_process(o.client_cpu_list);
    }
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    throw exit_now{2};
  }
  for (int i = 0; i < argc; ++i)
    o.command_line += (i > 0 ? " " : "") + std::string(argv[i]);
  return o;
}

std::vector<bench_case> make_cases(const options& o) {
  std::vector<strategy> strategies;
  for (const auto& s : o.strategies)
    strategies.push_back(parse_strategy(s));
  std::vector<mode> modes;
  for (const auto& m : o.modes)
    modes.push_back(parse_mode(m));
  if (!o.workload_given)
    return default_experiment(o.quick, strategies, modes);
  grid g;
  g.names = o.batch > 0 ? generated_names(o.batch) : (o.names.empty() ? article_names() : o.names);
  g.workers = o.workers;
  g.delays_ms = o.delays_ms;
  g.keepalive = o.keepalive == "both" ? std::vector<bool>{false, true}
                                      : std::vector<bool>{o.keepalive == "on"};
  g.strategies = strategies;
  g.modes = modes;
  return expand(g);
}

bool interleaved(const options& o) {
  return o.interleave.value_or(!o.workload_given);
}

// Where Google Benchmark writes (a scratch file) and where the finished file
// goes: --out, or a temporary file for the table when there is no --out.
class result_paths {
 public:
  explicit result_paths(const std::string& out) {
    if (out.empty()) {
      temporary_.emplace("/tmp/poolbench.json", "result");
      destination_ = temporary_->path();
    } else {
      destination_ = out;
    }
    gb_output_.emplace(destination_, "gb");
  }
  [[nodiscard]] const std::string& gb_output() const { return gb_output_->path(); }
  [[nodiscard]] const std::string& destination() const { return destination_; }

 private:
  std::optional<scratch_file> temporary_;  // removed at exit: only the table was asked for
  std::string destination_;
  std::optional<scratch_file> gb_output_;
};

// Step 2: Google Benchmark, with the pass-through flags and our JSON output.
void initialize_google_benchmark(const options& o, const result_paths& paths, char* argv0) {
  // Google Benchmark keeps pointers into argv (the executable's name goes
  // into the JSON context at the end): the strings must outlive the run.
  static std::vector<std::string> args;
  args = {argv0};
  args.insert(args.end(), o.benchmark_flags.begin(), o.benchmark_flags.end());
  args.push_back("--benchmark_out=" + paths.gb_output());
  args.push_back("--benchmark_out_format=json");
  args.push_back(std::string("--benchmark_enable_random_interleaving=") +
                 (interleaved(o) ? "true" : "false"));
  static std::vector<char*> argv;
  argv.clear();
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  benchmark::Initialize(&argc, argv.data());
  if (benchmark::ReportUnrecognizedArguments(argc, argv.data()))
    throw exit_now{2};
}

// Step 3: the server, given or embedded (a child process stopped on every
// exit path, signals included).
class server_session {
 public:
  explicit server_session(const options& o) {
    try {
      if (o.url.empty()) {
        embedded_ = std::make_unique<embedded_server>(server_binary_next_to_self(),
                                                      o.server_threads, o.server_cpu_list);
        stop_child_on_signal(embedded_->pid());
        std::cerr << "poolbench: started poolbench-server (pid " << embedded_->pid() << ") at "
                  << embedded_->url() << "\n";
        url_ = http::url::parse(embedded_->url());
      } else {
        url_ = http::url::parse(o.url);
      }
    } catch (const std::exception& e) {
      std::cerr << "poolbench: " << e.what() << "\n";
      throw exit_now{2};
    }
  }
  ~server_session() { stop(); }
  server_session(const server_session&) = delete;
  server_session& operator=(const server_session&) = delete;

  [[nodiscard]] const http::url& url() const { return url_; }
  [[nodiscard]] bool embedded() const { return embedded_ != nullptr; }
  void stop() {
    if (!embedded_)
      return;
    embedded_->stop();
    stop_child_on_signal(-1);
  }

 private:
  std::unique_ptr<embedded_server> embedded_;
  http::url url_;
};

// A one-request probe before anything else: a server that is not there gives
// one clear line, not a wall of failed benchmarks. Other failures (a wrong
// body) are left to each case's verification round, which names the case.
void require_reachable(const http::url& server, const std::string& name,
                       const http::client_options& client) {
  try {
    http::sync_client probe(server, client);
    (void)probe.get_hello(name);
  } catch (const http::request_error& e) {
    if (e.why() == http::request_error::kind::cannot_connect) {
      std::cerr << "poolbench: cannot reach " << server.to_string() << ": " << e.detail() << "\n";
      throw exit_now{2};
    }
  }
}

closed_loop_settings make_settings(const options& o, const http::url& server) {
  closed_loop_settings settings;
  settings.server = server;
  settings.client.read_timeout = std::chrono::milliseconds(o.read_timeout_ms);
  if (o.rounds > 0)
    settings.rounds = o.rounds;
  settings.min_time = o.min_time;
  settings.max_rounds = o.max_rounds;
  settings.repetitions = o.repetitions;
  settings.warmup_rounds = o.warmup_rounds;
  settings.progress = isatty(STDERR_FILENO) == 1;
  return settings;
}

// Every setting of the run, for the file's context (docs/result-format.md).
nlohmann::ordered_json run_context(const options& o, const server_session& server) {
  auto context = provenance();
  context["poolbench_version"] = POOLBENCH_VERSION;
  context["command_line"] = o.command_line;
  context["server_url"] = server.url().to_string();
  context["server_kind"] = server.embedded() ? "embedded" : "external";
  if (server.embedded())
    context["server_threads"] = o.server_threads;
  context["workload"] = o.workload_given ? "custom" : (o.quick ? "default (quick)" : "default");
  if (o.rates.empty()) {
    context["repetitions"] = o.repetitions;
    context["warmup_rounds"] = o.warmup_rounds;
  } else {
    context["repetitions"] = 1;    // one run of --duration per strategy and rate
    context["warmup_rounds"] = 1;  // one closed round first: connections open, bodies checked
  }
  if (o.rounds > 0) {
    context["rounds"] = o.rounds;
  } else {
    context["min_time_s"] = o.min_time;
    context["max_rounds"] = o.max_rounds;
  }
  context["read_timeout_ms"] = o.read_timeout_ms;
  context["server_cpus"] =
      o.server_cpu_list.empty() ? "not pinned" : format_cpu_list(o.server_cpu_list);
  context["client_cpus"] =
      o.client_cpu_list.empty() ? "not pinned" : format_cpu_list(o.client_cpu_list);
  context["interleaved"] = interleaved(o);
  if (o.rates.empty()) {
    context["load_model"] = "closed-loop";
    context["latency"] =
        "service time: a worker starts the request -> its checked response is in hand; "
        "queue time: batch submitted -> worker starts; percentiles over all timed rounds";
  } else {
    context["load_model"] = "open-loop";
    context["latency"] =
        "latency: completion - intended send time (coordinated omission corrected); "
        "service time: a worker starts the request -> its checked response is in hand";
    context["arrivals"] = o.arrivals_name;
    context["seed"] = o.seed;
    context["duration_s"] = o.duration_s;
    context["drain_timeout_s"] = o.drain_timeout_s;
  }
  context["load_average_start"] = load_average();
  return context;
}

void run_google_benchmark() {
  quiet_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
}

open_loop_settings make_open_loop_settings(const options& o, const closed_loop_settings& closed) {
  open_loop_settings s;
  s.server = closed.server;
  s.client = closed.client;
  s.rates = o.rates;
  s.duration_s = o.duration_s;
  s.kind = parse_arrivals(o.arrivals_name);
  s.seed = o.seed;
  s.drain_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(o.drain_timeout_s * 1000));
  s.progress = closed.progress;
  return s;
}

void print_tables(const std::string& path) {
  if (const auto open = report::load_open_loop(path); !open.empty()) {
    report::print_open_loop_tables(std::cout, open, std::nullopt, /*markdown=*/false);
    return;
  }
  // Read once for the provenance line and the summary (print_table reads by path).
  const auto files = report::load_result_files({path});
  std::cout << report::provenance_line(files.front(), report::terminal_width()) << "\n\n";
  report::show_options show;
  show.colour = isatty(STDOUT_FILENO) == 1;
  // One table per workload, so each compares strategies and pool sizes on
  // the same job (the article's 3-name table comes first).
  show.group_by = {"batch", "delay_ms", "keepalive"};
  show.baseline = "floor";  // each row reads as "x the least a client can do"
  report::print_table(std::cout, {path}, show);
  // One screen of what the run says: per workload, the winner, the
  // runner-up and the margin with its interval, or a tie (computed).
  std::cout << "\n";
  report::print_summary(std::cout, files);
}

int run(int argc, char** argv) {
  const options o = parse_command_line(argc, argv);
  clean_up_on_fatal_signals();  // from here on, scratch files never outlive us
  std::vector<bench_case> cases;
  try {
    cases = make_cases(o);
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    return 2;
  }
  std::optional<result_paths> paths;
  try {
    paths.emplace(o.out);
  } catch (const std::exception& e) {
    std::cerr << "poolbench: --out: " << e.what() << "\n";
    return 2;
  }
  initialize_google_benchmark(o, *paths, argv[0]);
  server_session server(o);
  const auto settings = make_settings(o, server.url());
  require_reachable(settings.server, cases.empty() ? "romeo" : cases.front().names.front(),
                    settings.client);
  auto context = run_context(o, server);

  // Step 4: measure, closed or open loop.
  result_additions additions;
  std::size_t failed = 0;
  std::optional<std::string> lost;
  if (o.rates.empty()) {
    closed_loop_runner runner(settings, std::move(cases));
    runner.verify_and_register();
    run_google_benchmark();
    additions.records = runner.records();
    additions.run_order = runner.run_order();
    failed = runner.failed_cases();
    lost = runner.server_lost();
  } else {
    std::optional<open_loop_runner> runner;
    try {
      runner.emplace(make_open_loop_settings(o, settings), cases);
    } catch (const std::exception& e) {
      std::cerr << "poolbench: " << e.what() << "\n";
      return 2;
    }
    runner->register_benchmarks();
    run_google_benchmark();
    additions.records = runner->records();
    additions.run_extras = runner->run_extras();
    failed = runner->failed_cases();
  }
  server.stop();
  context["load_average_end"] = load_average();
  additions.context = context;

  // Step 5: the result file and the tables.
  if (lost) {
    // One line, not one per remaining case; the result file (with --out)
    // still records every case's error.
    std::cerr << "poolbench: lost the server " << settings.server.to_string()
              << " mid-run (it refuses connections now): " << *lost << "\n";
    try {
      finish_result_file(paths->gb_output(), paths->destination(), additions);
    } catch (const std::exception&) {  // the line above is the error that matters
    }
    return 2;
  }
  int status = failed > 0 ? 1 : 0;
  try {
    finish_result_file(paths->gb_output(), paths->destination(), additions);
    print_tables(paths->destination());
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    status = status == 0 ? 2 : status;
  }
  if (failed > 0) {
    std::cerr << "poolbench: " << failed
              << " case(s) failed (see above); every run of a failed case carries "
                 "error_occurred in the result file, and no timings\n";
  } else if (!o.out.empty()) {
    std::cerr << "poolbench: wrote " << o.out << "\n";
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // a closed connection is an error to report, not a death
  try {
    return run(argc, argv);
  } catch (const exit_now& e) {
    return e.code;
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    return 2;
  }
}
