// The poolbench program end to end, as a user runs it.

#include "client_test_support.hpp"
#include "embedded_server_line.hpp"
#include "event_stream.hpp"
#include "fake_server.hpp"
#include "server_process.hpp"
#include "spawn.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

namespace poolbench::runner {
namespace {

using testing::run_program;
using namespace std::chrono_literals;

// Each test its own file: ctest runs the tests as separate processes at once.
std::string temp_path(const std::string& name) {
  return testing::unique_temp_path(name);
}

TEST(program, quick_run_writes_the_documented_json) {
  const auto out = temp_path("poolbench_quick.json");
  const auto run = run_program(POOLBENCH_PATH, {"--quick", "--out", out}, 240s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const pid_t server = testing::embedded_server_pid(run.err);
  ASSERT_GT(server, 0) << run.err;
  EXPECT_FALSE(testing::process_exists(server)) << "embedded server left running";
  EXPECT_NE(run.out.find("Name (time in"), std::string::npos) << run.out;  // the table

  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  const auto& context = doc["context"];
  // Provenance, taken at run time, and every setting of the run.
  for (const char* key :
       {"poolbench_version", "git_revision", "server_url", "build_type", "compiler", "kernel",
        "cpu_model", "load_model", "samples_note", "command_line", "workload", "latency",
        "load_average_start", "load_average_end"}) {
    EXPECT_TRUE(context[key].is_string()) << key;
  }
  EXPECT_EQ(context["server_kind"], "embedded");
  // Idle CPUs: left as they are unless asked for (--cpu-idle), and said.
  EXPECT_EQ(context["cpu_idle"], "os");
  EXPECT_EQ(context["cpu_idle_reason"], "left as they are (--cpu-idle os)");
  EXPECT_EQ(context["workload"], "default (quick)");
  EXPECT_EQ(context["warmup_rounds"], 1);
  EXPECT_EQ(context["repetitions"], 2);
  EXPECT_DOUBLE_EQ(context["article_min_time_s"].get<double>(),
                   4 * context["min_time_s"].get<double>());
  EXPECT_EQ(context["interleaved"], true);  // on by default for the default experiment
  // Each strategy's traits, for a report that has not registered it.
  EXPECT_EQ(context["strategies"]["serial"]["has_pool"], false);
  EXPECT_EQ(context["strategies"]["thread_pool"]["in_flight"], "workers");
  // So is the second stage (2 repetitions: no first look to size from).
  EXPECT_EQ(context["sequential"]["budget_seconds"], 90.0);
  EXPECT_NE(run.out.find("second stage: "), std::string::npos) << run.out;
  EXPECT_TRUE(context["cpu_count"].is_number());
  EXPECT_TRUE(context["server_threads"].is_number());
  // Built from this checkout: the revision it has now, and whether it has local changes.
  EXPECT_NE(context["git_revision"], "unknown");
  EXPECT_TRUE(context["git_dirty"].is_boolean());
  ASSERT_TRUE(doc["run_order"].is_array());
  // The article's block runs first, interleaved within itself: every one of
  // its repetitions before any of the sweep's (bench_case::block).
  {
    std::size_t last_article = 0, first_other = doc["run_order"].size(), i = 0;
    for (const auto& entry : doc["run_order"]) {
      const bool article = entry.get<std::string>().find("/batch:3/") != std::string::npos;
      if (article)
        last_article = i;
      else
        first_other = std::min(first_other, i);
      ++i;
    }
    EXPECT_LT(last_article, first_other) << doc["run_order"].dump();
  }

  static const std::regex name(
      R"(((serial|thread_pool|process_pool|async_pool)/(warm|cold)/batch:\d+/workers:\d+|)"
      R"(floor/batch:\d+(/workers:\d+)?)/delay_ms:\d+(/keepalive:1)?)");
  std::set<std::string> strategies_seen;
  std::size_t iteration_runs = 0;
  std::map<std::string, std::pair<double, int>> real_times;  // by name and unit
  for (const auto& run_entry : doc["benchmarks"]) {
    const std::string run_name = run_entry["run_name"];
    EXPECT_TRUE(std::regex_match(run_name, name)) << run_name;
    EXPECT_FALSE(run_entry.contains("error_occurred")) << run_name;
    strategies_seen.insert(run_name.substr(0, run_name.find('/')) + "/" +
                           run_name.substr(run_name.find('/') + 1, 4));
    if (run_entry["run_type"] != "iteration")
      continue;
    ++iteration_runs;
    EXPECT_EQ(run_entry["name"], run_name);
    for (const char* counter :
         {"rounds", "min", "max", "mean", "stddev", "median", "q1", "q3", "requests_per_second"}) {
      EXPECT_TRUE(run_entry[counter].is_number()) << run_name << " " << counter;
    }
    // The workload as explicit fields, the same as the name says.
    const auto& workload = run_entry["workload"];
    ASSERT_TRUE(workload.is_object()) << run_name;
    EXPECT_EQ(run_name.substr(0, run_name.find('/')), workload["strategy"]) << run_name;
    EXPECT_EQ(workload["loop"], "closed") << run_name;
    EXPECT_EQ(workload["connection"], run_name.ends_with("/keepalive:1") ? "keep_alive" : "fresh")
        << run_name;
    EXPECT_EQ("batch:" + std::to_string(workload["batch"].get<int>()),
              run_name.substr(run_name.find("batch:"), run_name.find('/', run_name.find("batch:")) -
                                                           run_name.find("batch:")))
        << run_name;
    // Latency percentiles over all rounds of the case, the same in every repetition.
    const auto& latency = run_entry["latency"];
    for (const char* key : {"requests", "service_p50", "service_p90", "service_p99", "service_max",
                            "queue_p50", "queue_p90", "queue_p99", "queue_max"}) {
      EXPECT_TRUE(latency[key].is_number()) << run_name << " " << key;
    }
    EXPECT_LE(latency["service_p50"].get<double>(), latency["service_p99"].get<double>());
    ASSERT_TRUE(run_entry["samples"].is_array()) << run_name;
    EXPECT_EQ(run_entry["samples"].size(), run_entry["iterations"].get<std::size_t>());
    EXPECT_EQ(run_entry["rounds"].get<double>(), run_entry["iterations"].get<double>());
    EXPECT_LE(run_entry["min"].get<double>(), run_entry["max"].get<double>());
    // A unit in which the mean round time reads 10 or more (compare.py
    // prints whole units), ns only below 10 us.
    const std::string unit = run_entry["time_unit"];
    const double real_time = run_entry["real_time"].get<double>();
    EXPECT_TRUE(unit == "ns" || unit == "us" || unit == "ms" || unit == "s") << unit;
    auto& [sum, n] = real_times[run_name + " (" + unit + ")"];
    sum += real_time;
    ++n;
  }
  EXPECT_GT(iteration_runs, 0u);
  for (const auto& [name_and_unit, sum_and_n] : real_times) {
    if (!name_and_unit.ends_with("(ns)")) {
      EXPECT_GE(sum_and_n.first / sum_and_n.second, 10.0) << name_and_unit;
    }
  }
  for (const char* s : {"serial/warm", "thread_pool/warm", "thread_pool/cold", "process_pool/warm",
                        "process_pool/cold", "async_pool/warm", "async_pool/cold", "floor/batc"}) {
    EXPECT_TRUE(strategies_seen.count(s)) << s;
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A server that does not speak the hello protocol (python3 -m http.server
// answers 404 to /romeo): the first answer checked says so. One line, exit
// 1, no tables, and a kept --out stays byte-identical, with nothing beside it.
TEST(program, a_wrong_server_is_one_line_exit_1_and_no_tables) {
  for (const unsigned status : {404U, 200U}) {
    testing::fake_server fake([status](std::string_view) {
      return testing::fake_reply{
          testing::fake_reply::action::answer,
          testing::raw_http_response(status, status == 404 ? "File not found" : "Hello, tybalt")};
    });
    const auto out = temp_path("poolbench_wrong_server.json");
    const std::string baseline = "{\"kept\": \"baseline\"}\n\x01 bytes as they were";
    { std::ofstream(out, std::ios::binary) << baseline; }
    const auto run =
        run_program(POOLBENCH_PATH, {"--url", fake.url(), "--quick", "--out", out}, 120s);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_EQ(run.out, "") << "no tables";
    const std::string line = "poolbench: serial/warm/batch:3/workers:1/delay_ms:0: GET " +
                             fake.url() + "/romeo: expected 200 'Hello, romeo', got " +
                             std::to_string(status) + " '" +
                             (status == 404 ? "File not found" : "Hello, tybalt") +
                             "'; stopped at the first answer checked";
    const auto first = run.err.find(line);
    ASSERT_NE(first, std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("GET ", first + line.size()), std::string::npos)
        << "said more than once:\n"
        << run.err;
    EXPECT_EQ(run.err.find("case(s) failed"), std::string::npos) << run.err;
    // Nothing was measured: the probe and one verification request.
    EXPECT_EQ(fake.requests(), 2u);
    EXPECT_EQ(read_file(out), baseline);
    EXPECT_FALSE(std::ifstream(temp_path("poolbench_wrong_server.failed.json")).good());
    std::remove(out.c_str());
  }
}

// A case that fails after the first one was verified: the run ends, exit 1,
// and the failed case is in the file, every run of it marked, no timings.
TEST(program, a_case_that_fails_later_is_named_and_marked_in_the_file) {
  testing::fake_server fake([](std::string_view target) {
    if (target.find("delay_ms") != std::string_view::npos)  // the second case only
      return testing::fake_reply{testing::fake_reply::action::answer,
                                 testing::raw_http_response(200, "Hello, tybalt")};
    return testing::hello_reply(target);
  });
  const auto out = temp_path("poolbench_wrong.json");
  const auto failed = temp_path("poolbench_wrong.failed.json");
  const auto run = run_program(
      POOLBENCH_PATH,
      {"--url", fake.url(), "--names", "romeo", "--strategies", "process_pool", "--modes", "warm",
       "--delay-ms", "0,1", "--repetitions", "1", "--rounds", "1", "--out", out},
      120s);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("process_pool/warm/batch:1/workers:3/delay_ms:1: GET " + fake.url() +
                         "/romeo?delay_ms=1: expected 200 'Hello, romeo', got 200 'Hello, tybalt'"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("1 case(s) failed"), std::string::npos) << run.err;
  std::ifstream in(failed);
  const auto doc = nlohmann::json::parse(in);
  std::remove(failed.c_str());
  ASSERT_FALSE(doc["benchmarks"].empty());
  for (const auto& r : doc["benchmarks"]) {
    const bool is_failed = r["run_name"].get<std::string>().find("delay_ms:1") != std::string::npos;
    EXPECT_EQ(r.value("error_occurred", false), is_failed) << r.dump();
    if (is_failed) {
      EXPECT_FALSE(r.contains("samples"));
    }
  }
}

TEST(program, dead_url_gives_one_line_and_exit_2) {
  const auto port = testing::dead_port();
  const auto run = run_program(
      POOLBENCH_PATH, {"--url", "http://127.0.0.1:" + std::to_string(port), "--quick"}, 60s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "poolbench: cannot reach http://127.0.0.1:" + std::to_string(port) +
                         "/: connection refused\n");
  EXPECT_EQ(run.out, "");
}

TEST(program, bad_usage_exits_2) {
  EXPECT_EQ(run_program(POOLBENCH_PATH, {"--strategies", "fibers"}, 60s).exit_code, 2);
  EXPECT_EQ(run_program(POOLBENCH_PATH, {"--no-such-flag"}, 60s).exit_code, 2);
  EXPECT_EQ(run_program(POOLBENCH_PATH, {"--url", "ftp://x"}, 60s).exit_code, 2);
  EXPECT_EQ(run_program(POOLBENCH_PATH, {"--keepalive=sometimes"}, 60s).exit_code, 2);
  const auto help = run_program(POOLBENCH_PATH, {"--help"}, 60s);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--keepalive"), std::string::npos);
  EXPECT_NE(help.out.find("--extra-budget"), std::string::npos);
}

// Each bad usage names what is wrong, once, before any server starts.
TEST(program, bad_usage_says_what_is_wrong) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--workers", "abc"}, "--workers: 'abc' is not a whole number"},
      {{"--workers", "0"}, "'0' must be 1 or more (1 to 4096)"},
      {{"--workers", "-3"}, "--workers: '-3' must be 1 or more (1 to 4096)"},
      {{"--bogus"}, "poolbench: unknown option '--bogus' (see --help)"},
      {{"--benchmark_out=x.json"}, "use --out FILE"},
      {{"--batch", "3", "--names", "a,b"}, "excludes"},
      {{"--delay-ms", "20000"}, "'20000' must be at most 10000 (0 to 10000)"},
      {{"--delay-ms", "500", "--read-timeout-ms", "400"},
       "--delay-ms 500 is not below --read-timeout-ms 400"},
      {{"--min-time", "soon"}, "'soon' is not a number"},
      {{"--extra-budget", "-1"}, "'-1' must be 0 or more (0 to 86400)"},
  };
  for (const auto& [args, message] : cases) {
    const auto run = run_program(POOLBENCH_PATH, args, 60s);
    EXPECT_EQ(run.exit_code, 2) << args.front();
    EXPECT_NE(run.err.find(message), std::string::npos) << args.front() << ": " << run.err;
    EXPECT_EQ(run.err.find("started poolbench-server"), std::string::npos) << run.err;
    if (args.front() != "--benchmark_out=x.json") {
      EXPECT_EQ(run.err.find("--benchmark_out"), std::string::npos)
          << "a hint that belongs to another flag: " << run.err;
    }
  }
}

TEST(program, version_and_exit_codes_are_documented) {
  const auto version = run_program(POOLBENCH_PATH, {"--version"}, 60s);
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("poolbench ", 0), 0u) << version.out;
  const auto help = run_program(POOLBENCH_PATH, {"--help"}, 60s);
  EXPECT_NE(help.out.find("Exit codes: 0"), std::string::npos) << help.out;
}

TEST(program, a_filter_that_matches_nothing_is_one_line_and_exit_2) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const auto run = run_program(
      POOLBENCH_PATH, {"--url", server.url(), "--quick", "--benchmark_filter=nothing"}, 120s);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("poolbench: no case to run: --benchmark_filter matched none"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("JSON"), std::string::npos) << run.err;  // no scratch file to name
}

// The default experiment runs in blocks; a filter that leaves some of them
// empty is no error, and Google Benchmark's "Failed to match" for an empty
// block is not shown.
TEST(program, a_filter_that_leaves_a_block_empty_runs_the_rest_quietly) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const auto out = testing::unique_temp_path("one_block.json");
  const auto run = run_program(
      POOLBENCH_PATH,
      {"--url", server.url(), "--quick", "--out", out, "--benchmark_filter=^serial/warm/batch:10/"},
      120s);
  std::remove(out.c_str());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err.find("Failed to match"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("serial/warm"), std::string::npos) << run.out;
}

// A server that answers the first case right and the second wrongly.
testing::fake_server::responder second_case_wrong() {
  return [](std::string_view target) {
    if (target.find("delay_ms") != std::string_view::npos)
      return testing::fake_reply{testing::fake_reply::action::answer,
                                 testing::raw_http_response(200, "Hello, tybalt")};
    return testing::hello_reply(target);
  };
}

// --out never replaces a kept baseline with a failed run: the run goes
// beside it, to FILE.failed.json, and stderr says where.
TEST(program, out_keeps_a_baseline_and_puts_a_failed_run_beside_it) {
  testing::fake_server fake(second_case_wrong());
  const auto out = temp_path("poolbench_keep.json");
  const auto beside = temp_path("poolbench_keep.failed.json");
  std::remove(beside.c_str());
  const std::string baseline = "{\"kept\": 1}\n";
  { std::ofstream(out, std::ios::binary) << baseline; }
  const auto run =
      run_program(POOLBENCH_PATH,
                  {"--url", fake.url(), "--names", "romeo", "--strategies", "serial", "--delay-ms",
                   "0,1", "--repetitions", "1", "--rounds", "1", "--out", out},
                  120s);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(read_file(out), baseline);
  EXPECT_NE(run.err.find("poolbench: some case failed: " + out +
                         " left as it was; this run is in " + beside),
            std::string::npos)
      << run.err;
  const auto doc = nlohmann::json::parse(read_file(beside));
  EXPECT_FALSE(doc["benchmarks"].empty());
  std::remove(beside.c_str());
  std::remove(out.c_str());
  const auto help = run_program(POOLBENCH_PATH, {"--help"}, 60s);
  EXPECT_NE(help.out.find(".failed.json"), std::string::npos) << help.out;
}

TEST(program, out_only_if_all_measured_leaves_the_file_as_it_was_after_a_failure) {
  testing::fake_server fake(second_case_wrong());
  const auto out = temp_path("poolbench_kept.json");
  { std::ofstream(out) << "previous\n"; }
  const auto run = run_program(
      POOLBENCH_PATH,
      {"--url", fake.url(), "--names", "romeo", "--strategies", "serial", "--delay-ms", "0,1",
       "--repetitions", "1", "--rounds", "1", "--out", out, "--out-only-if-all-measured"},
      120s);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(read_file(out), "previous\n");
  EXPECT_NE(run.err.find("left as it was"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("wrote"), std::string::npos) << run.err;
  EXPECT_FALSE(std::ifstream(temp_path("poolbench_kept.failed.json")).good()) << "nothing beside";
  std::remove(out.c_str());
}

TEST(program, external_server_is_recorded_as_such) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const auto out = temp_path("poolbench_external.json");
  const auto run =
      run_program(POOLBENCH_PATH,
                  {"--url", server.url(), "--strategies", "serial,async_pool", "--modes", "warm",
                   "--keepalive=both", "--delay-ms", "0,1", "--quick", "--out", out},
                  120s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  EXPECT_EQ(doc["context"]["server_kind"], "external");
  EXPECT_FALSE(doc["context"].contains("server_backend"));  // not poolbench's to read
  EXPECT_EQ(doc["context"]["server_url"], server.url() + "/");
  EXPECT_EQ(doc["context"]["sequential"]["budget_seconds"], 0.0);  // off for a custom workload
  std::set<std::string> names;
  for (const auto& r : doc["benchmarks"])
    names.insert(r["run_name"].get<std::string>());
  EXPECT_EQ(names, (std::set<std::string>{
                       "serial/warm/batch:3/workers:1/delay_ms:0",
                       "serial/warm/batch:3/workers:1/delay_ms:0/keepalive:1",
                       "serial/warm/batch:3/workers:1/delay_ms:1",
                       "serial/warm/batch:3/workers:1/delay_ms:1/keepalive:1",
                       "async_pool/warm/batch:3/workers:3/delay_ms:0",
                       "async_pool/warm/batch:3/workers:3/delay_ms:0/keepalive:1",
                       "async_pool/warm/batch:3/workers:3/delay_ms:1",
                       "async_pool/warm/batch:3/workers:3/delay_ms:1/keepalive:1",
                   }));
}

// Starts poolbench with stderr on a pipe, waits (bounded) for the embedded
// server's pid, interrupts poolbench, and checks the server is gone too.
TEST(program, sigint_stops_and_reaps_the_embedded_server) {
  int out_fd = -1, err_fd = -1, event_fd = -1;
  // Long enough to be interrupted mid-run: 200 ms per request, many rounds.
  const pid_t pid = testing::spawn(POOLBENCH_PATH,
                                   {"--strategies", "serial", "--names", "romeo", "--delay-ms",
                                    "200", "--rounds", "100", "--repetitions", "1"},
                                   out_fd, &err_fd, &event_fd);
  std::string err;
  const pid_t server = testing::read_until_embedded_server(err_fd, err, 30s);
  // Into the timed rounds: poolbench's testing event says they began.
  testing::event_stream events(event_fd);
  const bool timed = server > 0 && !events.wait_for("timed ", 60s).empty();
  if (!timed) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  ASSERT_GT(server, 0) << err;
  ASSERT_TRUE(timed) << "poolbench never began its timed rounds\n" << err;
  EXPECT_TRUE(testing::process_exists(server));
  bool stopped = false;
  const int status = testing::interrupt_and_reap(pid, &stopped);
  if (!stopped)
    FAIL() << "poolbench did not stop on SIGINT";
  close(out_fd);
  close(err_fd);
  close(event_fd);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << status;
  EXPECT_FALSE(testing::process_exists(server)) << "embedded server survived SIGINT";
}

}  // namespace
}  // namespace poolbench::runner
