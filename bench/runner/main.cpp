// poolbench: the article's experiment in C++. Runs the serial, thread_pool,
// process_pool and async_pool strategies against a hello server under Google
// Benchmark, writes Google Benchmark JSON with per-round samples, and prints a
// pytest-benchmark-style table. See `poolbench --help`.
//
// Exit codes: 0 all benchmarks measured, 1 some benchmark failed (wrong
// response, broken connection, broken pool), 2 bad usage or server not
// reachable (before the run, or lost mid-run).

#include "bench_case.hpp"
#include "case_runner.hpp"
#include "embedded_server.hpp"
#include "result_file.hpp"

#include <poolbench/http/request_error.hpp>
#include <poolbench/http/sync_client.hpp>
#include <poolbench/report/print_table.hpp>

#include <benchmark/benchmark.h>
#include <CLI/CLI.hpp>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

namespace {

using namespace poolbench;
using namespace poolbench::runner;

struct options {
  std::string url;
  std::vector<std::string> names;
  std::size_t batch = 0;
  std::vector<std::size_t> workers{3};
  std::vector<std::uint64_t> delays_ms{0};
  std::vector<std::string> strategies{"serial", "thread_pool", "process_pool", "async_pool"};
  std::vector<std::string> variants{"warm", "cold"};
  std::string keepalive = "off";
  std::size_t rounds = 0;
  double min_time = 0.2;
  std::size_t max_rounds = 200;
  std::size_t repetitions = 9;
  std::string out;
  bool quick = false;
  std::size_t server_threads = 1;
  std::size_t read_timeout_ms = 30'000;
  bool workload_given = false;
};

// Google Benchmark's own console output would repeat every counter of every
// repetition; poolbench shows progress on stderr and one table at the end.
class quiet_reporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

std::string build_type() {
#ifdef POOLBENCH_BUILD_TYPE
  return POOLBENCH_BUILD_TYPE;
#else
  return "unknown";
#endif
}

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

std::vector<bench_case> make_cases(const options& o) {
  std::vector<strategy> strategies;
  for (const auto& s : o.strategies)
    strategies.push_back(parse_strategy(s));
  std::vector<variant> variants;
  for (const auto& v : o.variants)
    variants.push_back(parse_variant(v));
  if (!o.workload_given)
    return default_experiment(o.quick, strategies, variants);
  grid g;
  g.names = o.batch > 0 ? generated_names(o.batch) : (o.names.empty() ? article_names() : o.names);
  g.workers = o.workers;
  g.delays_ms = o.delays_ms;
  if (o.keepalive == "both") {
    g.keepalive = {false, true};
  } else {
    g.keepalive = {o.keepalive == "on"};
  }
  g.strategies = strategies;
  g.variants = variants;
  return expand(g);
}

// A one-request probe before anything else: a server that is not there gives
// one clear line, not a wall of failed benchmarks. Other failures (a wrong
// body) are left to each case's verification round, which names the case.
bool reachable(const http::url& server, const std::string& name,
               const http::client_options& client) {
  try {
    http::sync_client probe(server, client);
    (void)probe.get_hello(name);
  } catch (const http::request_error& e) {
    if (e.why() == http::request_error::kind::cannot_connect) {
      std::cerr << "poolbench: cannot reach " << server.to_string() << ": " << e.detail() << "\n";
      return false;
    }
  }
  return true;
}

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
  app.add_option("--strategies", o.strategies, "serial,thread_pool,process_pool,async_pool")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--variants", o.variants,
                 "warm (pool built outside the timed rounds) and/or cold (built in every round)")
      ->delimiter(',')
      ->capture_default_str();
  app.add_flag("--keepalive{on}", o.keepalive,
               "Reuse one connection per worker: --keepalive, --keepalive=off or "
               "--keepalive=both (default off: a new connection per request, as the article)")
      ->check(CLI::IsMember({"on", "off", "both"}));
  app.add_option("--rounds", o.rounds, "Rounds per repetition (default: sized from --min-time)")
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--min-time", o.min_time,
                 "Seconds of rounds per repetition, sized by the verification round")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--max-rounds", o.max_rounds, "Upper bound on sized rounds per repetition")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--repetitions", o.repetitions,
                 "Repetitions per case (compare.py's U test wants at least 9)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--out", o.out, "Write Google Benchmark JSON (with samples) to FILE");
  app.add_flag("--quick", o.quick,
               "A few seconds in all: 2 repetitions of at most 5 rounds, a small sweep");
  app.add_option("--server-threads", o.server_threads, "Threads of the embedded server")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--read-timeout-ms", o.read_timeout_ms, "Per-request answer timeout")
      ->capture_default_str()
      ->check(CLI::Range(1, 3'600'000));
  app.allow_extras();  // --benchmark_* flags go to Google Benchmark
}

int run(int argc, char** argv) {
  CLI::App app{
      "poolbench: serial, thread_pool, process_pool and async_pool fetching 'Hello, <name>'\n"
      "from an HTTP server, measured with Google Benchmark. Without workload flags it runs\n"
      "the default experiment: the article's 3 names for every strategy warm and cold, then\n"
      "batch 100 x delay_ms 0,1,10 x workers 1,4,16,64 x keep-alive off/on (warm pools).\n"
      "Other --benchmark_* flags are passed to Google Benchmark."};
  app.get_formatter()->column_width(30);
  options o;
  add_options(app, o);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0)
      return app.exit(e);
    std::cerr << "poolbench: " << e.what() << " (see --help)\n";
    return 2;
  }
  for (const char* flag : {"--names", "--batch", "--workers", "--delay-ms", "--keepalive"}) {
    o.workload_given = o.workload_given || app.count(flag) > 0;
  }
  if (o.quick) {
    if (app.count("--repetitions") == 0)
      o.repetitions = 2;
    if (app.count("--min-time") == 0)
      o.min_time = 0.01;
    if (app.count("--max-rounds") == 0)
      o.max_rounds = 5;
  }

  // Google Benchmark's flags: the pass-through ones plus our JSON output.
  std::vector<std::string> gb_args{argv[0]};
  for (const auto& extra : app.remaining()) {
    if (extra.rfind("--benchmark_", 0) != 0 || extra.rfind("--benchmark_out", 0) == 0) {
      std::cerr << "poolbench: unknown option '" << extra << "' (see --help; use --out FILE)\n";
      return 2;
    }
    gb_args.push_back(extra);
  }
  std::string out_path = o.out;
  bool temporary_out = false;
  if (out_path.empty()) {
    char tmpl[] = "/tmp/poolbench-XXXXXX.json";
    const int fd = mkstemps(tmpl, 5);
    if (fd < 0) {
      std::cerr << "poolbench: cannot create a temporary result file\n";
      return 2;
    }
    close(fd);
    out_path = tmpl;
    temporary_out = true;
  }
  const auto remove_temporary = [&] {
    if (temporary_out)
      std::remove(out_path.c_str());
  };
  gb_args.push_back("--benchmark_out=" + out_path);
  gb_args.push_back("--benchmark_out_format=json");
  std::vector<char*> gb_argv;
  for (auto& a : gb_args)
    gb_argv.push_back(a.data());
  gb_argv.push_back(nullptr);
  int gb_argc = static_cast<int>(gb_args.size());
  benchmark::Initialize(&gb_argc, gb_argv.data());
  if (benchmark::ReportUnrecognizedArguments(gb_argc, gb_argv.data())) {
    remove_temporary();
    return 2;
  }

  std::vector<bench_case> cases;
  try {
    cases = make_cases(o);
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    remove_temporary();
    return 2;
  }

  run_settings settings;
  settings.client.read_timeout = std::chrono::milliseconds(o.read_timeout_ms);
  if (o.rounds > 0)
    settings.rounds = o.rounds;
  settings.min_time = o.min_time;
  settings.max_rounds = o.max_rounds;
  settings.repetitions = o.repetitions;
  settings.progress = isatty(STDERR_FILENO) == 1;

  // The server: given, or embedded (a child process stopped on every exit path).
  std::unique_ptr<embedded_server> embedded;
  try {
    if (o.url.empty()) {
      embedded = std::make_unique<embedded_server>(server_binary_next_to_self(), o.server_threads);
      stop_child_on_signal(embedded->pid());
      std::cerr << "poolbench: started poolbench-server (pid " << embedded->pid() << ") at "
                << embedded->url() << "\n";
      settings.server = http::url::parse(embedded->url());
    } else {
      settings.server = http::url::parse(o.url);
    }
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    remove_temporary();
    return 2;
  }
  const auto stop_server = [&] {
    if (!embedded)
      return;
    embedded->stop();
    stop_child_on_signal(-1);
  };

  if (!reachable(settings.server, cases.empty() ? "romeo" : cases.front().names.front(),
                 settings.client)) {
    stop_server();
    remove_temporary();
    return 2;
  }

  case_runner runner(settings, std::move(cases));
  runner.verify_and_register();
  quiet_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  stop_server();

  const nlohmann::ordered_json context = {
      {"poolbench_version", POOLBENCH_VERSION},
      {"git_revision", POOLBENCH_GIT_REVISION},
      {"server_url", settings.server.to_string()},
      {"server_kind", o.url.empty() ? "embedded" : "external"},
      {"build_type", build_type()},
      {"compiler", compiler()},
      {"cpu_count", std::thread::hardware_concurrency()},
      {"load_model", "closed-loop"},
  };
  if (const auto& lost = runner.server_lost()) {
    // One line, not one per remaining case; the result file (with --out)
    // still records every case's error.
    std::cerr << "poolbench: lost the server " << settings.server.to_string()
              << " mid-run (it refuses connections now): " << *lost << "\n";
    try {
      finish_result_file(out_path, runner.samples(), context);
    } catch (const std::exception&) {  // the line above is the error that matters
    }
    remove_temporary();
    return 2;
  }
  int status = runner.failed_cases() > 0 ? 1 : 0;
  try {
    finish_result_file(out_path, runner.samples(), context);
    report::show_options show;
    show.colour = isatty(STDOUT_FILENO) == 1;
    // One table per workload, so each compares strategies and pool sizes on
    // the same job (the article's 3-name table comes first).
    show.group_by = {"batch", "delay_ms", "keepalive"};
    report::print_table(std::cout, {out_path}, show);
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    status = status == 0 ? 2 : status;
  }
  remove_temporary();
  if (runner.failed_cases() > 0) {
    std::cerr << "poolbench: " << runner.failed_cases()
              << " case(s) failed (see above); their entries in the result file carry "
                 "error_occurred and no timings\n";
  } else if (!temporary_out) {
    std::cerr << "poolbench: wrote " << out_path << "\n";
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // a closed connection is an error to report, not a death
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    return 2;
  }
}
