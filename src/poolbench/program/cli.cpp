#include "cli.hpp"

#include <poolbench/runner/cpu_affinity.hpp>
#include <poolbench/runner/strategy_registry.hpp>

#include <poolbench/delay/delay_distribution.hpp>
#include <poolbench/http/url.hpp>
#include <poolbench/results/delay_name.hpp>

#include <poolbench/cli/program.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <iostream>
#include <limits>

namespace poolbench::cli {
namespace {

using runner::run_plan;

// The embedded poolbench-server answers ?delay_ms= up to this (its
// --max-delay-ms default); anything above would be 400 for every request.
constexpr std::uint64_t embedded_max_delay_ms = 10'000;

std::vector<std::string> names_of(const std::vector<results::strategy>& strategies) {
  std::vector<std::string> out;
  for (auto s : strategies)
    out.emplace_back(s.name());
  return out;
}

// "a, b, c": the names, for a message.
std::string listed(const std::vector<results::strategy>& strategies) {
  std::string out;
  for (auto s : strategies)
    out.append(out.empty() ? "" : ", ").append(s.name());
  return out;
}

// The strategies this program runs beyond the six the --strategies help
// describes (a program of its own registers them: run_main.hpp), as a
// sentence for that help; nothing in poolbench itself.
std::string registered_here() {
  constexpr std::string_view described[] = {"serial",     "thread_pool", "process_pool",
                                            "async_pool", "floor",       "unbounded"};
  std::vector<results::strategy> more;
  for (auto s : runner::runnable_strategies()) {
    if (std::find(std::begin(described), std::end(described), s.name()) == std::end(described))
      more.push_back(s);
  }
  return more.empty() ? std::string() : ". Registered in this program: " + listed(more);
}

// What the flags hold before they become the plan's types.
struct raw_flags {
  std::vector<std::string> strategies = names_of(runner::default_strategies());
  std::vector<std::string> modes{"warm", "cold"};
  std::string keepalive = "off";
  std::size_t rounds = 0;
  bool interleave_on = false;
  bool interleave_off = false;
  double extra_budget_s = 0;
  std::string server_cpus;
  std::string client_cpus;
  std::size_t read_timeout_ms = 30'000;
  std::string arrivals = "poisson";
  double drain_timeout_s = 5;
  std::vector<std::string> delays;
  std::string expect = "hello";
  std::string floor_backend = "auto";
  std::string cpu_idle = "os";
  std::size_t server_max_in_flight = 0;
  std::string server_over_limit;
  double server_rate_limit = 0;
  double server_rate_burst = 0;
  double server_overload_us = 0;
};

// The embedded server's backend-model flags: refused with --url.
constexpr const char* backend_model_flags[] = {"--server-max-in-flight", "--server-over-limit",
                                               "--server-rate-limit", "--server-rate-burst",
                                               "--server-overload-us"};

// A whole number in [lo, hi], with a message that says which rule failed
// and what would do (CLI11's Range says "Value abc not in range" for a word,
// and "-3" is a number too small, not a word).
CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        const auto range = " (" + std::to_string(lo) + " to " + std::to_string(hi) + ")";
        std::int64_t negative = 0;
        if (const auto [end, ec] =
                std::from_chars(text.data(), text.data() + text.size(), negative);
            ec == std::errc() && end == text.data() + text.size() && negative < 0)
          return "'" + text + "' must be " + std::to_string(lo) + " or more" + range;
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool whole = end == text.data() + text.size();
        if (ec == std::errc::result_out_of_range || (ec == std::errc() && whole && value > hi))
          return "'" + text + "' must be at most " + std::to_string(hi) + range;
        if (ec == std::errc() && whole && value < lo)
          return "'" + text + "' must be " + std::to_string(lo) + " or more" + range;
        if (ec != std::errc() || !whole)
          return "'" + text + "' is not a whole number";
        return {};
      },
      "");
}

// A decimal number in [lo, hi].
CLI::Validator number_between(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        double value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size())
          return "'" + text + "' is not a number";
        const auto range =
            " (" + results::shortest_number(lo) + " to " + results::shortest_number(hi) + ")";
        if (value < lo)
          return "'" + text + "' must be " + results::shortest_number(lo) + " or more" + range;
        if (!(value <= hi))
          return "'" + text + "' must be at most " + results::shortest_number(hi) + range;
        return {};
      },
      "");
}

void add_workload_options(CLI::App& app, run_plan& p, raw_flags& f) {
  auto* names =
      app.add_option("--names", p.names,
                     "Names of one batch, comma-separated (default: romeo,julliet,mercucio)")
          ->delimiter(',')
          ->type_name("NAME,...");
  app.add_option("--batch", p.batch,
                 "A batch of N generated names (user-1 ... user-N) instead of --names")
      ->check(whole_number(1, 1'000'000))
      ->type_name("N")
      ->excludes(names);
  app.add_option("--workers", p.workers, "Pool sizes to run, comma-separated (default: 3)")
      ->delimiter(',')
      ->check(whole_number(1, 4096))
      ->type_name("N,...");
  auto* delay_ms =
      app.add_option("--delay-ms", p.delays_ms,
                     "Server-side latency per request in ms, comma-separated (default: 0)")
          ->delimiter(',')
          ->check(whole_number(0, embedded_max_delay_ms))
          ->type_name("MS,...");
  app.add_option("--delay", f.delays,
                 "Server-side latency drawn per request from a distribution: 5ms, "
                 "uniform:1ms..9ms, exp:5ms (mean), lognormal:median=5ms,p99=100ms, or a "
                 "weighted list 1ms:95,100ms:5 (units us, ms, s). Repeat the flag for several. "
                 "Request i of round k of repetition r gets the same delay in every strategy "
                 "(seeded by --seed), sent as ?delay_ms= when a whole number of ms, else "
                 "?delay_us=; each run records the delay its rounds drew and the exact ideal "
                 "round for those delays (docs/result-format.md)")
      ->excludes(delay_ms)
      ->type_name("SPEC");
  app.add_option("--strategies", f.strategies,
                 "serial,thread_pool,process_pool,async_pool,floor,unbounded (floor: the least "
                 "a client can do for a round, raw sockets and epoll with the whole batch in "
                 "flight; a measuring stick, not an executor. unbounded: the whole batch in "
                 "flight on the async client, one coroutine per request and no pool, as "
                 "asyncio.gather; not in the default list)" +
                     registered_here())
      ->delimiter(',')
      ->type_name("NAME,...");
  app.add_option("--modes", f.modes,
                 "warm (pool built outside the timed rounds) and/or cold (built in every round)")
      ->delimiter(',')
      ->type_name("warm,cold");
  app.add_flag("--keepalive{on}", f.keepalive,
               "Reuse one connection per worker: --keepalive, --keepalive=off or "
               "--keepalive=both (default off: a new connection per request, as the article)")
      ->check(CLI::IsMember({"on", "off", "both"}))
      ->type_name("[=on|off|both]");
}

void add_measurement_options(CLI::App& app, run_plan& p, raw_flags& f) {
  app.add_option("--rounds", f.rounds,
                 "Timed rounds per repetition (default: sized from --min-time)")
      ->check(whole_number(1, 1'000'000))
      ->type_name("N");
  app.add_option("--min-time", p.min_time_s,
                 "Seconds of rounds per repetition, sized by the verification round (default: 0.2)")
      ->check(number_between(0.0, 3600.0))
      ->type_name("S");
  app.add_option("--max-rounds", p.max_rounds,
                 "Upper bound on sized rounds per repetition, a guard rather than a budget: short "
                 "rounds get as many as --min-time takes; the result file keeps at most 1000 "
                 "evenly spaced round times per repetition (default: 100000)")
      ->check(whole_number(1, 1'000'000))
      ->type_name("N");
  app.add_option("--repetitions", p.repetitions,
                 "Repetitions per case, each with a fresh pool and fresh connections "
                 "(default: 9; compare's U test wants at least 9)")
      ->check(whole_number(1, 1000))
      ->type_name("N");
  app.add_option("--warmup-rounds", p.warmup_rounds,
                 "Untimed rounds at the start of every repetition, through the same pool and "
                 "clients as the timed ones (default: 1; 0 times the first round too)")
      ->check(whole_number(0, 1'000'000))
      ->type_name("N");
  app.add_flag("--interleave", f.interleave_on,
               "Run the repetitions of all cases in random interleaved order, so drift over "
               "the run is not read as a difference between cases (default: on for the "
               "default experiment, off for a custom workload); the order is recorded. The "
               "default experiment and the zoo run in blocks, each interleaved within itself: "
               "the article's workload first, then the sweeps (docs/noise.md)");
  app.add_flag("--no-interleave", f.interleave_off, "Run each case's repetitions one after another")
      ->excludes("--interleave");
  app.add_option("--extra-budget", f.extra_budget_s,
                 "Seconds of extra repetitions for workloads still inconclusive after the "
                 "planned ones (up to 27 a side, interleaved; docs/sized-repetitions.md); 0 turns "
                 "the second stage off (default: 90 for the default experiment, else 0)")
      ->check(number_between(0.0, 86'400.0))
      ->type_name("S");
  app.add_option("--seed", p.seed,
                 "Seed of the run's random streams, recorded in the JSON: the open loop's "
                 "poisson schedule and the delays drawn for --delay (default: 1)")
      ->type_name("N");
  app.add_option("--read-timeout-ms", f.read_timeout_ms,
                 "Per-request answer timeout (default: 30000)")
      ->check(whole_number(1, 3'600'000))
      ->type_name("MS");
  app.add_option("--retries", p.retries,
                 "Retries of a request answered 429 or 503 (a backend with limits: counted, not "
                 "failed), after an exponential backoff with full jitter, random(0, min(1 s, "
                 "10 ms x 2^retry)), never shorter than the answer's Retry-After in seconds (up "
                 "to 60 s); still rejected after N retries, the request fails its case (default: "
                 "10; 0: the first 429 or 503 fails it)")
      ->check(whole_number(0, 100))
      ->type_name("N");
}

void add_request_options(CLI::App& app, run_plan& p, raw_flags& f) {
  app.add_option("--path", p.path_template,
                 "Each request's path, with {name} where the percent-encoded name goes, e.g. "
                 "/api/v1/users/{name} (default: /{name}, after the path of --url); must start "
                 "with '/'")
      ->type_name("TEMPLATE");
  app.add_option("--expect", f.expect,
                 "What a correct answer is: hello (200 and exactly 'Hello, <name>', as "
                 "poolbench-server and the article's server answer; the default), status (any "
                 "2xx), or regex:RE (a 2xx whose body matches RE, ECMAScript syntax)")
      ->type_name("hello|status|regex:RE");
}

void add_output_and_server_options(CLI::App& app, run_plan& p, raw_flags& f) {
  app.add_option("--url", p.url,
                 "Server to measure, http://host:port[/path]. Default: start poolbench-server "
                 "(from next to this binary) on 127.0.0.1, port 0, and stop it at the end")
      ->type_name("URL");
  app.add_option("--out", p.out,
                 "Write Google Benchmark JSON (with samples) to FILE, atomically, only after a "
                 "run in which every case measured. A run in which some case failed goes beside "
                 "it instead, to FILE with .json replaced by .failed.json (keep.json -> "
                 "keep.failed.json; FILE.failed.json when FILE does not end in .json), said on "
                 "stderr; an interrupted run writes nothing. An existing FILE is never replaced "
                 "by a failed run")
      ->type_name("FILE");
  app.add_flag("--out-only-if-all-measured", p.out_only_if_all_measured,
               "After a run in which some case failed, write nothing at all (no .failed.json "
               "beside --out): how scripts/bench publishes");
  app.add_flag("--noise-check", p.noise_check,
               "Only measure how quiet the machine is (load, steal, other processes' CPU, a "
               "spin-loop calibration; docs/noise.md), print the record, exit 0 quiet or 1 busy");
  app.add_option("--settle", p.settle_s,
                 "When the start check finds the machine busy on the 1-minute load average "
                 "alone (a build or the last run just ended), sample the run queue for 3 s: "
                 "quiet, go on at once (the load is stale); busy, wait up to SECONDS for it, "
                 "re-checking every 10 s. Busy on a reading of the present (other processes' "
                 "CPU, pressure: the step before still exiting), wait up to 30 s of it too, "
                 "then go on busy (default 0: take the readings as they are; scripts/bench "
                 "passes 180)")
      ->check(whole_number(0, 3600))
      ->type_name("SECONDS");
  app.add_flag("--allow-busy", p.allow_busy,
               "Run on a busy machine anyway (recorded in the file; the page says so)");
  app.add_flag("--zoo", p.zoo,
               "The executor zoo instead of the default experiment: every strategy this "
               "program runs (or those of --strategies) on the article's workload (3 names, "
               "warm) and on the keep-alive sweep (10 ms, batch 4 x workers, workers "
               "16,64,256,1024; serial left out), warm only, interleaved; about 5 minutes on 2 "
               "cores (scripts/bench --zoo publishes it as results/zoo.json)");
  app.add_flag("--quick", p.quick,
               "A few seconds in all: 2 repetitions of at most 5 rounds, a small sweep");
  app.add_option("--server-threads", p.server_threads,
                 "Threads of the embedded server (default: 1)")
      ->check(whole_number(1, 256))
      ->type_name("N");
  app.add_option("--server-io-model", p.server_io_model,
                 "I/O model of the embedded server, as poolbench-server --io-model: shared (one "
                 "io_context run by every thread) or reuseport (one io_context and acceptor per "
                 "thread, SO_REUSEPORT); recorded in the JSON (default: shared)")
      ->check(CLI::IsMember({"shared", "reuseport"}))
      ->type_name("MODEL");
  app.add_option("--floor-backend", f.floor_backend,
                 "How the floor asks the kernel: auto (io_uring, the cheaper per request, or "
                 "epoll with a one-line note when io_uring is not available), epoll, or io_uring "
                 "(refused if not available); the one that served is recorded in the JSON "
                 "(default: auto)")
      ->check(CLI::IsMember({"auto", "epoll", "io_uring"}))
      ->type_name("auto|epoll|io_uring");
  app.add_option("--cpu-idle", f.cpu_idle,
                 "Idle CPUs for the run: os (as they are), poll (hold /dev/cpu_dma_latency at 0 "
                 "while poolbench runs, so an idle CPU wakes in a few us instead of when the "
                 "host wakes it: a VM's halted vCPU took 5-47 us here, varying by the hour; "
                 "needs root, refused otherwise), or auto (poll when it can be had, else os "
                 "with a one-line note). Measured, not the default: it steadies wake-ups, not "
                 "the repetitions (docs/noise.md); recorded in the JSON (default: os)")
      ->check(CLI::IsMember({"auto", "poll", "os"}))
      ->type_name("auto|poll|os");
  app.add_option("--server-max-in-flight", f.server_max_in_flight,
                 "Embedded server only: admit at most N requests at once (poolbench-server "
                 "--max-in-flight); past it, --server-over-limit says what happens")
      ->check(whole_number(1, 1'000'000))
      ->type_name("N");
  app.add_option("--server-over-limit", f.server_over_limit,
                 "Embedded server only: reject (503 with Retry-After, an API with limits) or "
                 "queue (wait for a slot, a database with N connections) past "
                 "--server-max-in-flight (poolbench-server --over-limit)")
      ->check(CLI::IsMember({"reject", "queue"}))
      ->type_name("reject|queue");
  app.add_option("--server-rate-limit", f.server_rate_limit,
                 "Embedded server only: a token bucket of R requests per second; the excess gets "
                 "429 with Retry-After (poolbench-server --rate-limit)")
      ->check(number_between(0.001, 1e9))
      ->type_name("R");
  app.add_option("--server-rate-burst", f.server_rate_burst,
                 "Embedded server only: the token bucket's size (poolbench-server --rate-burst)")
      ->check(number_between(1.0, 1e9))
      ->type_name("B");
  app.add_option("--server-overload-us", f.server_overload_us,
                 "Embedded server only: each request waits F us longer for every other request "
                 "in flight, an overloaded server (poolbench-server --overload-us)")
      ->check(number_between(0.0, 1e9))
      ->type_name("F");
  app.add_option("--server-cpus", f.server_cpus,
                 "Pin the embedded server to these CPUs (e.g. 1 or 0-1); recorded in the JSON")
      ->type_name("CPUS");
  app.add_option(
         "--client-cpus", f.client_cpus,
         "Pin poolbench, its pools and workers to these CPUs (e.g. 0); recorded in the JSON")
      ->type_name("CPUS");
}

void add_open_loop_options(CLI::App& app, run_plan& p, raw_flags& f) {
  auto* open = app.add_option_group(
      "Open loop", "A fixed schedule of arrivals instead of a closed loop of workers");
  open->add_option("--rate", p.rates,
                   "Offered requests per second, comma-separated: runs the open-loop mode, one "
                   "entry per strategy and rate, for the warm pools of --strategies")
      ->delimiter(',')
      ->check(number_between(0.001, 1e7))
      ->type_name("R,...");
  open->add_option("--duration", p.duration_s, "Seconds of arrivals per rate (default: 5)")
      ->check(number_between(0.01, 3600.0))
      ->type_name("S");
  open->add_option("--arrivals", f.arrivals,
                   "uniform (every 1/rate s) or poisson (exponential gaps, seeded; default)")
      ->check(CLI::IsMember({"uniform", "poisson"}))
      ->type_name("KIND");
  open->add_option("--drain-timeout", f.drain_timeout_s,
                   "Seconds after the last arrival to wait for answers; the rest count as "
                   "incomplete (default: 5)")
      ->check(number_between(0.0, 3600.0))
      ->type_name("S");
}

[[noreturn]] void bad_usage(const std::string& message) {
  std::cerr << "poolbench: " << message << " (see --help)\n";
  throw exit_now{2};
}

// Google Benchmark's own flags pass through, except the ones poolbench
// owns: its output file and its interleaving.
void take_benchmark_flags(const std::vector<std::string>& extras, run_plan& p) {
  for (const auto& extra : extras) {
    if (extra.rfind("--benchmark_out", 0) == 0)
      bad_usage("'" + extra + "' is poolbench's to set: use --out FILE");
    if (extra.rfind("--benchmark_enable_random_interleaving", 0) == 0)
      bad_usage("'" + extra + "' is poolbench's to set: use --interleave or --no-interleave");
    if (extra.rfind("--benchmark_", 0) != 0)
      bad_usage("unknown option '" + extra + "'");
    p.benchmark_flags.push_back(extra);
  }
}

void resolve(const CLI::App& app, const raw_flags& f, run_plan& p) {
  for (const char* flag :
       {"--names", "--batch", "--workers", "--delay-ms", "--delay", "--keepalive", "--rate"})
    p.workload_given = p.workload_given || app.count(flag) > 0;
  std::vector<std::string> strategies = f.strategies, modes = f.modes;
  if (p.open_loop() && app.count("--strategies") == 0)
    strategies = names_of(runner::default_open_loop_strategies());  // serial has no pool
  if (p.zoo) {
    // The zoo is its own grid, warm only: a workload of one's own is another run.
    for (const char* flag : {"--names", "--batch", "--workers", "--delay-ms", "--delay",
                             "--keepalive", "--rate", "--modes"}) {
      if (app.count(flag) > 0)
        bad_usage(std::string("--zoo runs its own workloads; ") + flag + " does not go with it");
    }
    if (app.count("--strategies") == 0)
      strategies = names_of(runner::runnable_strategies());  // every one, unbounded too
    modes = {"warm"};
  }
  if (p.open_loop() && app.count("--modes") == 0)
    modes = {"warm"};
  try {
    for (const auto& s : strategies) {
      p.strategies.push_back(results::parse_strategy(s));
      if (runner::find_factory(p.strategies.back()) == nullptr)
        bad_usage("strategy '" + s + "' cannot run in this program (no factory registered)");
    }
    for (const auto& m : modes)
      p.modes.push_back(results::parse_pool_mode(m));
  } catch (const std::invalid_argument& e) {
    bad_usage(e.what());
  }
  for (auto s : p.strategies) {
    if (p.open_loop() && !results::traits_of(s).open_loop)
      bad_usage("--rate runs the open loop through a pool; " + std::string(results::to_string(s)) +
                " has none (use " + listed(runner::default_open_loop_strategies()) + ")");
  }
  if (f.keepalive == "both")
    p.connections = {results::connection::fresh, results::connection::keep_alive};
  else
    p.connections = {f.keepalive == "on" ? results::connection::keep_alive
                                         : results::connection::fresh};
  if (f.rounds > 0)
    p.rounds = f.rounds;
  const bool own_grid = p.workload_given || p.zoo;  // not the default experiment
  p.interleave = f.interleave_on || f.interleave_off ? f.interleave_on : !p.workload_given;
  // Like --interleave: the default experiment is the one that makes claims.
  p.extra_budget_s = app.count("--extra-budget") > 0 ? f.extra_budget_s : (own_grid ? 0.0 : 90.0);
  p.read_timeout = std::chrono::milliseconds(f.read_timeout_ms);
  p.arrivals = results::parse_arrivals(f.arrivals);
  p.drain_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(f.drain_timeout_s * 1000));
  for (const auto& spec : f.delays) {
    try {
      p.delays.push_back(delay::delay_distribution::parse(results::canonical_delay_spec(spec)));
    } catch (const std::invalid_argument& e) {
      bad_usage(std::string("--delay: ") + e.what());
    }
  }
  if (!p.delays.empty() && p.open_loop())
    bad_usage(
        "--delay draws delays for the closed loop's rounds; the open loop (--rate) sends "
        "one constant --delay-ms");
  for (auto delay : p.delays_ms) {
    if (std::chrono::milliseconds(delay) >= p.read_timeout)
      bad_usage("--delay-ms " + std::to_string(delay) + " is not below --read-timeout-ms " +
                std::to_string(f.read_timeout_ms) + ": every request would time out");
  }
  if (p.quick) {
    if (app.count("--repetitions") == 0)
      p.repetitions = 2;
    if (app.count("--min-time") == 0)
      p.min_time_s = 0.01;
    if (app.count("--max-rounds") == 0)
      p.max_rounds = 5;
  }
  if (app.count("--server-io-model") > 0 && !p.url.empty())
    bad_usage(
        "--server-io-model chooses the embedded server's I/O model; --url's server is not "
        "poolbench's to configure");
  for (const char* flag : backend_model_flags) {
    if (app.count(flag) > 0 && !p.url.empty())
      bad_usage(std::string(flag) +
                " sets a backend model of the embedded server; --url's server is not "
                "poolbench's to configure");
  }
  if (app.count("--server-max-in-flight") > 0)
    p.server_model.max_in_flight = f.server_max_in_flight;
  p.floor_backend = runner::parse_floor_backend_choice(f.floor_backend);  // checked above
  p.cpu_idle = runner::parse_cpu_idle_choice(f.cpu_idle);                 // checked above
  if (app.count("--server-over-limit") > 0) {
    if (app.count("--server-max-in-flight") == 0)
      bad_usage("--server-over-limit says what happens past --server-max-in-flight: give both");
    p.server_model.over_limit = f.server_over_limit;
  }
  if (app.count("--server-rate-limit") > 0)
    p.server_model.rate_limit = f.server_rate_limit;
  if (app.count("--server-rate-burst") > 0) {
    if (app.count("--server-rate-limit") == 0)
      bad_usage("--server-rate-burst sizes the bucket of --server-rate-limit: give both");
    p.server_model.rate_burst = f.server_rate_burst;
  }
  if (app.count("--server-overload-us") > 0)
    p.server_model.overload_us = f.server_overload_us;
  try {
    p.expect = http::answer_check::parse(f.expect);
    if (!p.path_template.empty())
      (void)http::url{}.with_path_template(p.path_template);
  } catch (const std::invalid_argument& e) {
    bad_usage(e.what());
  }
  if (!f.server_cpus.empty() && !p.url.empty())
    bad_usage(
        "--server-cpus pins the embedded server; it cannot pin --url's server (use "
        "taskset there)");
  try {
    if (!f.server_cpus.empty())
      p.server_cpus = runner::parse_cpu_list(f.server_cpus);
    if (!f.client_cpus.empty())
      p.client_cpus = runner::parse_cpu_list(f.client_cpus);
  } catch (const std::exception& e) {
    bad_usage(e.what());
  }
}

}  // namespace

run_plan parse_command_line(int argc, char** argv) {
  CLI::App app{
      "poolbench: serial, thread_pool, process_pool and async_pool fetching 'Hello, <name>' "
      "from an HTTP server, measured with Google Benchmark. Without workload flags it runs "
      "the default experiment: the article's 3 names for every strategy warm and cold, then "
      "an I/O-bound sweep of batch, delay, workers and keep-alive (warm pools), and the "
      "sweep where executors differ: keep-alive, 10 ms, 64 to 4096 workers (process_pool to 1024), "
      "batch 4 x workers. "
      "Every repetition builds its pool and connections anew and runs --warmup-rounds untimed "
      "rounds first. Other --benchmark_* flags are passed to Google Benchmark."};
  run_plan p;
  raw_flags f;
  add_workload_options(app, p, f);
  add_measurement_options(app, p, f);
  add_request_options(app, p, f);
  add_output_and_server_options(app, p, f);
  add_open_loop_options(app, p, f);
  app.allow_extras();  // --benchmark_* flags go to Google Benchmark (checked below)
  const program self{"poolbench",
                     "Exit codes: 0 every case measured, 1 some case failed (wrong answer, "
                     "broken pool), 2 bad usage or no server."};
  set_up(app, self);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    throw exit_now{handle_parse_error(app, e, self)};
  }
  take_benchmark_flags(app.remaining(), p);
  resolve(app, f, p);
  if (!p.client_cpus.empty()) {
    try {
      runner::pin_this_process(p.client_cpus);
    } catch (const std::exception& e) {
      std::cerr << "poolbench: " << e.what() << "\n";
      throw exit_now{2};
    }
  }
  for (int i = 0; i < argc; ++i)
    p.command_line += (i > 0 ? " " : "") + std::string(argv[i]);
  return p;
}

}  // namespace poolbench::cli
