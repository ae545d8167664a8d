// poolbench against a server that is not poolbench-server: a path of its own
// (--path), its own idea of a correct answer (--expect), and the 429s and
// 503s of a backend with limits, retried and counted (--retries).

#include "fake_server.hpp"
#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <string>

namespace poolbench::runner {
namespace {

using testing::run_program;
using namespace std::chrono_literals;

// Each test its own file: ctest runs the tests as separate processes at once.
std::string temp_path(const std::string& name) {
  return testing::unique_temp_path(name);
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  auto doc = nlohmann::json::parse(in);
  std::remove(path.c_str());
  return doc;
}

// An API of its own: GET /api/v1/users/<name> answers 200 with JSON; every
// other target, poolbench's default /<name> included, is 404.
testing::fake_reply users_api(std::string_view target) {
  constexpr std::string_view prefix = "/api/v1/users/";
  if (target.substr(0, prefix.size()) != prefix)
    return {testing::fake_reply::action::answer, testing::raw_http_response(404, "no such path")};
  auto name = target.substr(prefix.size());
  name = name.substr(0, name.find('?'));
  return {testing::fake_reply::action::answer,
          testing::raw_http_response(200, "{\"user\": \"" + std::string(name) + "\"}")};
}

TEST(own_server, path_and_expect_status_measure_every_strategy) {
  testing::fake_server fake(users_api);
  const auto out = temp_path("own_server_status.json");
  const auto run = run_program(POOLBENCH_PATH,
                               {"--url",
                                fake.url(),
                                "--path",
                                "/api/v1/users/{name}",
                                "--expect",
                                "status",
                                "--names",
                                "romeo,julliet",
                                "--strategies",
                                "serial,thread_pool,process_pool,async_pool,floor",
                                "--modes",
                                "warm",
                                "--workers",
                                "2",
                                "--keepalive=both",
                                "--rounds",
                                "2",
                                "--repetitions",
                                "2",
                                "--out",
                                out},
                               240s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = read_json(out);
  std::size_t measured = 0;
  for (const auto& r : doc["benchmarks"]) {
    EXPECT_FALSE(r.value("error_occurred", false)) << r.dump();
    measured += r["run_type"] == "iteration" ? 1 : 0;
  }
  EXPECT_EQ(measured, 5u * 2 * 2);  // 5 strategies, keep-alive off and on, 2 repetitions
}

TEST(own_server, expect_regex_checks_every_body) {
  testing::fake_server fake(users_api);
  const auto good =
      run_program(POOLBENCH_PATH,
                  {"--url", fake.url(), "--path", "/api/v1/users/{name}", "--expect",
                   "regex:^\\{\"user\": \"[a-z]+\"\\}$", "--names", "romeo", "--strategies",
                   "async_pool", "--modes", "warm", "--rounds", "1", "--repetitions", "1"},
                  120s);
  EXPECT_EQ(good.exit_code, 0) << good.err;
  const auto bad = run_program(POOLBENCH_PATH,
                               {"--url", fake.url(), "--path", "/api/v1/users/{name}", "--expect",
                                "regex:\"id\"", "--names", "romeo", "--strategies", "async_pool",
                                "--modes", "warm", "--rounds", "1", "--repetitions", "1"},
                               120s);
  EXPECT_EQ(bad.exit_code, 1) << bad.err;
  EXPECT_NE(bad.err.find("GET " + fake.url() +
                         "/api/v1/users/romeo: expected a 2xx answer matching /\"id\"/, got 200"),
            std::string::npos)
      << bad.err;
  // Without --path, the default /<name> is not this API's: one line.
  const auto no_path =
      run_program(POOLBENCH_PATH,
                  {"--url", fake.url(), "--expect", "status", "--names", "romeo", "--strategies",
                   "serial", "--rounds", "1", "--repetitions", "1"},
                  120s);
  EXPECT_EQ(no_path.exit_code, 1) << no_path.err;
  EXPECT_NE(no_path.err.find("/romeo: expected a 2xx status, got 404 'no such path'; stopped"),
            std::string::npos)
      << no_path.err;
}

// Answers 503 (Retry-After: 0) to requests first..first+count-1, in arrival
// order; hello otherwise.
struct rejects_some {
  rejects_some(int first, int count)
      : fake([this, first, count](std::string_view target) {
          const int n = ++seen;
          if (n >= first && n < first + count)
            return testing::rejection_reply(503, 0);
          return testing::hello_reply(target);
        }) {}
  std::atomic<int> seen{0};
  testing::fake_server fake;
};

// The probe and the verification round (3 names) come first; with no
// warm-up, requests 5 to 8 are the first timed round's: 4 rejections, every
// one retried, the case measured, and the counts in its run entry.
TEST(own_server, rejections_are_retried_and_counted_not_failures) {
  for (const char* strategy : {"serial", "thread_pool", "process_pool", "async_pool"}) {
    for (const char* keepalive : {"off", "on"}) {
      rejects_some server(5, 4);
      const auto out = temp_path("own_server_retries.json");
      const auto run =
          run_program(POOLBENCH_PATH,
                      {"--url", server.fake.url(), "--names", "a,b,c", "--strategies", strategy,
                       "--modes", "warm", "--keepalive=" + std::string(keepalive),
                       "--warmup-rounds", "0", "--rounds", "3", "--repetitions", "1", "--out", out},
                      120s);
      ASSERT_EQ(run.exit_code, 0) << strategy << " " << keepalive << ": " << run.err;
      EXPECT_EQ(server.seen, 1 + 3 + 3 * 3 + 4) << strategy;
      const auto doc = read_json(out);
      const auto& r = doc["benchmarks"].at(0);
      ASSERT_EQ(r["run_type"], "iteration") << r.dump();
      EXPECT_DOUBLE_EQ(r["rejected_per_round"].get<double>(), 4.0 / 3) << strategy;
      EXPECT_DOUBLE_EQ(r["attempts_per_request"].get<double>(), 13.0 / 9) << strategy;
    }
  }
}

TEST(own_server, a_request_that_runs_out_of_retries_fails_its_case_naming_it) {
  // The first case passes; every request of the second (delay 1) is refused.
  testing::fake_server fake([](std::string_view target) {
    if (target.find("delay_ms") != std::string_view::npos)
      return testing::rejection_reply(503, 0);
    return testing::hello_reply(target);
  });
  const auto run = run_program(
      POOLBENCH_PATH,
      {"--url", fake.url(), "--names", "romeo", "--strategies", "thread_pool", "--modes", "warm",
       "--delay-ms", "0,1", "--retries", "2", "--rounds", "1", "--repetitions", "1"},
      120s);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(
      run.err.find("poolbench: thread_pool/warm/batch:1/workers:3/delay_ms:1: GET " + fake.url() +
                   "/romeo?delay_ms=1: still 503 after 3 attempts (--retries 2): the "
                   "server kept refusing it"),
      std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("1 case(s) failed"), std::string::npos) << run.err;
}

// The floor never waits: a refusal fails its case, said as a refusal (not as
// the wrong server, even when the floor is the first case).
TEST(own_server, the_floor_does_not_retry_and_says_so) {
  testing::fake_server fake([](std::string_view target) {
    if (target.find("?") == std::string_view::npos)  // the probe
      return testing::hello_reply(target);
    return testing::rejection_reply(503, 0);
  });
  const auto run = run_program(POOLBENCH_PATH,
                               {"--url", fake.url(), "--names", "romeo", "--strategies", "floor",
                                "--delay-ms", "1", "--rounds", "1", "--repetitions", "1"},
                               120s);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("floor/batch:1/delay_ms:1: GET " + fake.url() +
                         "/romeo?delay_ms=1: got 503: the floor does not retry"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("stopped at the first answer"), std::string::npos) << run.err;
}

TEST(own_server, the_open_loop_reports_rejections_beside_its_latency) {
  for (const char* strategy : {"thread_pool", "async_pool"}) {
    rejects_some server(5, 4);
    const auto out = temp_path("own_server_open.json");
    const auto run =
        run_program(POOLBENCH_PATH,
                    {"--url", server.fake.url(), "--names", "a,b,c", "--strategies", strategy,
                     "--rate", "50", "--duration", "0.2", "--arrivals", "uniform", "--out", out},
                    120s);
    ASSERT_EQ(run.exit_code, 0) << strategy << ": " << run.err;
    const auto doc = read_json(out);
    const auto& r = doc["benchmarks"].at(0);
    const auto& ol = r["open_loop"];
    EXPECT_EQ(ol["rejected"], 4) << ol.dump();
    const double completed = ol["completed"].get<double>();
    EXPECT_DOUBLE_EQ(ol["rejected_share"].get<double>(), 4.0 / (completed + 4)) << ol.dump();
    EXPECT_EQ(r["rejected"], 4);
  }
}

TEST(own_server, bad_path_expect_and_server_flags_are_one_line_and_exit_2) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--path", "users/{name}"}, "--path 'users/{name}': must start with '/'"},
      {{"--path", "/users"}, "--path '/users': must contain {name}"},
      {{"--expect", "json"}, "--expect 'json': expected hello, status or regex:RE"},
      {{"--expect", "regex:[a-"}, "--expect 'regex:[a-': not a valid regular expression"},
      {{"--url", "http://127.0.0.1:9/", "--server-max-in-flight", "16"},
       "--server-max-in-flight sets a backend model of the embedded server; --url's server is "
       "not poolbench's to configure"},
      {{"--url", "http://127.0.0.1:9/", "--server-rate-limit", "100"},
       "--server-rate-limit sets a backend model"},
      {{"--url", "http://127.0.0.1:9/", "--server-overload-us", "5"},
       "--server-overload-us sets a backend model"},
      {{"--server-over-limit", "queue"}, "give both"},
      {{"--server-rate-burst", "4"}, "give both"},
      {{"--retries", "-1"}, "--retries"},
      {{"--url", "http://127.0.0.1:9/base", "--path", "/x/{name}"}, "give the path once"},
  };
  for (const auto& [args, message] : cases) {
    const auto run = run_program(POOLBENCH_PATH, args, 60s);
    EXPECT_EQ(run.exit_code, 2) << args.back() << ": " << run.err;
    EXPECT_NE(run.err.find(message), std::string::npos) << args.back() << ": " << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
}

}  // namespace
}  // namespace poolbench::runner
