// poolbench's program as a function (run_main.hpp): the built-in poolbench
// is one line around it, and so is a program with strategies of its own.
// Runs the registered strategies against a hello server under Google
// Benchmark, writes Google Benchmark JSON with per-round samples, and prints
// pytest-benchmark-style tables. See `poolbench --help`.
//
// Exit codes: 0 all benchmarks measured, 1 some benchmark failed (wrong
// response, broken connection, broken pool), 2 bad usage or server not
// reachable (before the run, or lost mid-run).

#include <poolbench/program/run_main.hpp>

#include "cli.hpp"
#include "end_of_run.hpp"

#include <poolbench/cli/terminal_width.hpp>
#include <poolbench/cli/text_wrap.hpp>

#include <poolbench/runner/cpu_idle.hpp>
#include <poolbench/runner/embedded_server.hpp>
#include <poolbench/runner/file_limit.hpp>
#include <poolbench/runner/floor_backend.hpp>
#include <poolbench/runner/load_settle.hpp>
#include <poolbench/runner/measurement.hpp>
#include <poolbench/runner/noise_guard.hpp>
#include <poolbench/runner/noise_monitor.hpp>
#include <poolbench/runner/result_file.hpp>
#include <poolbench/runner/run_context.hpp>
#include <poolbench/runner/scratch_file.hpp>
#include <poolbench/runner/server_session.hpp>

#include <poolbench/http/request_error.hpp>
#include <poolbench/http/sync_client.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <thread>
#include <utility>

namespace {

using namespace poolbench;
using cli::exit_now;

// A one-request probe before anything else: a server that is not there gives
// one clear line, not a wall of failed benchmarks. Other failures (a wrong
// body) are left to each case's verification round, which names the case.
void require_reachable(const http::url& server, const std::string& name,
                       std::chrono::milliseconds read_timeout) {
  http::client_options client;
  client.read_timeout = read_timeout;
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

// Before any work: --out names a place a file can be written.
void require_writable_out(const std::string& out) {
  if (out.empty())
    return;
  try {
    runner::scratch_file probe(out, "probe");
  } catch (const std::exception& e) {
    std::cerr << "poolbench: --out: " << e.what() << "\n";
    throw exit_now{2};
  }
}

// Writes the result file when one was asked for: to --out after a run in
// which every case measured; otherwise beside it (failed_out_path), so that
// a kept baseline is never replaced by a failed run, or (with
// --out-only-if-all-measured) nowhere. Returns the path written, or empty.
std::string write_out(const runner::run_plan& plan, const runner::measurement& m) {
  if (plan.out.empty())
    return {};
  if (m.failed_cases == 0) {
    runner::write_result_file(plan.out, m.document);
    return plan.out;
  }
  if (plan.out_only_if_all_measured) {
    std::cerr << "poolbench: " << plan.out << " left as it was (--out-only-if-all-measured)\n";
    return {};
  }
  const auto beside = runner::failed_out_path(plan.out);
  runner::write_result_file(beside, m.document);
  std::cerr << "poolbench: some case failed: " << plan.out
            << (access(plan.out.c_str(), F_OK) == 0 ? " left as it was" : " not written")
            << "; this run is in " << beside << "\n";
  return beside;
}

// A warning for people, wrapped to the terminal (120 columns when unknown),
// its continuation lines indented.
void print_wrapped(std::ostream& out, const std::string& text) {
  const std::size_t width = cli::terminal_width(120);
  bool first = true;
  for (const auto& line : cli::wrap(text, width > 12 ? width - 2 : width)) {
    out << (first ? "" : "  ") << line << "\n";
    first = false;
  }
}

// The floor's backend, when the run has a floor: which one serves and why
// (auto's fallback to epoll is said on stderr as it is decided). Throws
// std::invalid_argument if --floor-backend io_uring cannot have it.
std::optional<runner::floor_backend_decision> floor_backend_of(
    const runner::run_plan& plan, const std::vector<runner::bench_case>& cases) {
  runner::choose_floor_backend(plan.floor_backend);
  const bool has_floor = std::any_of(cases.begin(), cases.end(), [](const runner::bench_case& c) {
    return c.strategy == results::strategy::floor;
  });
  if (!has_floor)
    return std::nullopt;
  return runner::floor_backend_in_use();
}

// The start check, after waiting (--settle) for what may pass: a busy run
// queue behind a load average busy on its own, or a briefly busy present;
// the seconds waited.
std::pair<runner::noise_record, std::chrono::seconds> settled_noise(const runner::run_plan& plan) {
  std::chrono::seconds waited{0};
  auto record = runner::settle_load(
      {.limit = std::chrono::seconds(plan.settle_s), .step = std::chrono::seconds(10)},
      [] { return runner::measure_noise(); }, [] { return runner::sample_run_queue(); },
      [](std::chrono::seconds s) { std::this_thread::sleep_for(s); }, std::cerr, waited);
  return {std::move(record), waited};
}

// Idle CPUs polling (or not) for the whole run, the start check included, so
// that its wake-up reading is the run's (cpu_idle.hpp). Empty, after one
// line, when poll was asked for and cannot be had.
std::optional<runner::cpu_idle_hold> hold_cpu_idle(const runner::run_plan& plan) {
  std::optional<runner::cpu_idle_hold> idle;
  try {
    idle.emplace(plan.cpu_idle);
  } catch (const std::invalid_argument& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    return std::nullopt;
  }
  if (plan.cpu_idle == runner::cpu_idle_choice::automatic && !idle->polling())
    std::cerr << "poolbench: idle CPUs stay as the OS has them (" << idle->reason()
              << "): wake-ups take what the host gives (docs/noise.md)\n";
  return idle;
}

int run(int argc, char** argv) {
  const auto plan = cli::parse_command_line(argc, argv);
  const auto idle = hold_cpu_idle(plan);
  if (!idle)
    return 2;
  if (plan.noise_check) {
    const auto record = settled_noise(plan).first;
    std::cout << runner::to_json(record).dump(2) << "\n";
    if (const auto warning = runner::busy_warning(record); !warning.empty())
      print_wrapped(std::cerr, warning);
    return record.busy ? 1 : 0;
  }
  runner::clean_up_on_fatal_signals();  // from here on, scratch files never outlive us
  require_writable_out(plan.out);
  auto cases = runner::cases_of(plan);
  std::optional<runner::floor_backend_decision> floor;
  try {
    floor = floor_backend_of(plan, cases);
  } catch (const std::invalid_argument& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    return 2;
  }
  if (!runner::initialize_google_benchmark(plan, argv[0]))
    return 2;
  runner::file_limits limits;
  std::optional<runner::server_session> server;
  try {
    limits = runner::raise_open_file_limit();  // before the server: it inherits the limit
    // The server's own counts are read when it runs a backend model, whose
    // claims (at most N in flight, what was rejected) rest on them.
    server.emplace(plan.url, plan.server_threads, plan.server_cpus, plan.server_io_model,
                   plan.server_model, /*stats=*/plan.server_model.any());
    if (!plan.path_template.empty())
      server->use_path_template(plan.path_template);
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    return 2;
  }
  require_reachable(server->url(), cases.empty() ? "romeo" : cases.front().names.front(),
                    plan.read_timeout);
  auto context = runner::run_context(plan, *server, POOLBENCH_VERSION);
  if (floor)
    runner::record_floor_backend(*floor, context);
  context["cpu_idle"] = idle->mode();
  context["cpu_idle_reason"] = idle->reason();
  // How quiet the machine is, before the run and between cases: a busy one
  // is said at the start and again at the end, and recorded.
  auto [start_record, settled_after] = settled_noise(plan);
  runner::noise_monitor noise(std::move(start_record));
  if (const auto warning = runner::busy_warning(noise.start()); !warning.empty())
    print_wrapped(std::cerr, warning);
  context["allow_busy"] = plan.allow_busy;
  context["noise_settled_after_s"] = settled_after.count();
  context["open_files_soft_limit_at_start"] = limits.soft_before;
  context["open_files_soft_limit"] = limits.soft;
  context["open_files_hard_limit"] = limits.hard;

  std::optional<runner::measurement> m;
  try {
    m.emplace(runner::measure(plan, std::move(cases), *server, std::move(context), &noise));
  } catch (const std::invalid_argument& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    return 2;
  }
  server->stop();
  if (m->wrong_server) {
    // The first answer checked was wrong: not a case's failure but the
    // wrong server (or path, or --expect). One line; no tables, no file.
    std::cerr << "poolbench: " << *m->wrong_server
              << "; stopped at the first answer checked: is this the server you meant? (--path "
                 "and --expect "
              << plan.expect.to_string() << " say what to ask and what a correct answer is)\n";
    return 1;
  }
  if (m->benchmarks_run == 0) {
    std::cerr << "poolbench: no case to run: --benchmark_filter matched none of the cases "
                 "(names look like serial/warm/batch:3/workers:1/delay_ms:0)\n";
    return 2;
  }
  if (m->server_lost) {
    // One line, not one per remaining case; the result file (with --out)
    // still records every case's error.
    std::cerr << "poolbench: lost the server " << server->url().to_string()
              << " mid-run (it refuses connections now): " << *m->server_lost << "\n";
    try {
      write_out(plan, *m);
    } catch (const std::exception&) {  // the line above is the error that matters
    }
    return 2;
  }
  int status = m->failed_cases > 0 ? 1 : 0;
  std::string written;
  try {
    written = write_out(plan, *m);
    cli::print_end_of_run(std::cout, m->document, plan.out.empty() ? "this run" : plan.out);
  } catch (const std::exception& e) {
    std::cerr << "poolbench: " << e.what() << "\n";
    status = status == 0 ? 2 : status;
  }
  if (const auto warning = noise.summary_warning(); !warning.empty())
    print_wrapped(std::cerr, warning);
  if (m->failed_cases > 0) {
    std::cerr << "poolbench: " << m->failed_cases
              << " case(s) failed (see above); every run of a failed case carries "
                 "error_occurred in the result, and no timings\n";
  } else if (!written.empty()) {
    std::cerr << "poolbench: wrote " << written << "\n";
  }
  return status;
}

}  // namespace

namespace poolbench::detail {

int run_main(int argc, char** argv, const char* installed_server) {
  if (installed_server != nullptr)
    runner::set_installed_server_binary(installed_server);
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

}  // namespace poolbench::detail
