// Runs you can trust (issue 10): no failure aborts a run. A server that
// answers wrongly for a moment, at several points of a run (verification,
// the first warm-up, after several good repetitions, the last repetition),
// fails exactly the case it hit, for every strategy: poolbench finishes the
// other case, names the request once, exits 1, and writes valid JSON in which
// every run of the failed case carries error_occurred and no timings.

#include "fake_server.hpp"
#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <ostream>
#include <set>

namespace poolbench::runner {
namespace {

using testing::run_program;
using namespace std::chrono_literals;

// Requests before the timed repetitions: 1 probe, then 3 names verified for
// each of the 2 cases. A repetition is 1 warm-up + 4 timed rounds of 3.
constexpr int before_repetitions = 1 + 3 + 3;
constexpr int per_repetition = (1 + 4) * 3;

struct failure_point {
  const char* strategy;
  const char* where;
  // 1-based; from this request on, the failing case's requests (delay 0,
  // the only ones without "delay_ms" in the target) are answered wrongly.
  int first_wrong_request;
};

void PrintTo(const failure_point& p, std::ostream* os) {
  *os << p.strategy << "_" << p.where;
}

std::vector<failure_point> every_strategy_and_point() {
  struct point {
    const char* where;
    int first_wrong_request;
  };
  static constexpr point points[] = {
      {"in_verification", 2},
      {"in_first_warmup", before_repetitions + 1},
      // After three good repetitions: Google Benchmark 1.7.1 aborted here
      // (ComputeStats checks that every repetition ran the same iterations).
      {"after_three_good_repetitions", before_repetitions + 3 * per_repetition + 5},
      {"in_last_repetition", before_repetitions + 8 * per_repetition + 10},
  };
  std::vector<failure_point> out;
  for (const char* s : {"serial", "thread_pool", "process_pool", "async_pool", "floor"}) {
    for (const auto& p : points)
      out.push_back({s, p.where, p.first_wrong_request});
  }
  return out;
}

class server_turns_wrong : public ::testing::TestWithParam<failure_point> {};

TEST_P(server_turns_wrong, fails_only_the_case_it_hit_and_writes_valid_json) {
  const auto point = GetParam();
  std::atomic<int> requests{0};
  testing::fake_server fake([&](std::string_view target) {
    const int n = ++requests;
    if (n >= point.first_wrong_request && target.find("delay_ms") == std::string_view::npos)
      return testing::fake_reply{testing::fake_reply::action::answer,
                                 testing::raw_http_response(200, "Hello, tybalt")};
    return testing::hello_reply(target);
  });
  const std::string out = testing::unique_temp_path("failure.json");
  // A wrong answer in the first case's verification stops the whole run (the
  // wrong server: program_test); here the failing case is verified second.
  const bool in_verification = std::string_view(point.where) == "in_verification";
  const auto run = run_program(
      POOLBENCH_PATH,
      {"--url", fake.url(), "--strategies", point.strategy, "--modes", "warm", "--names",
       "romeo,julliet,mercucio", "--delay-ms", in_verification ? "1,0" : "0,1", "--rounds", "4",
       "--repetitions", "9", "--warmup-rounds", "1", "--out", out},
      120s);
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const std::string strategy = point.strategy;
  const std::string hit =
      strategy == "floor"
          ? "floor/batch:3"
          : strategy + "/warm/batch:3/workers:" + (strategy == "serial" ? "1" : "3");
  const std::string failed = hit + "/delay_ms:0";
  const std::string passed = hit + "/delay_ms:1";
  // One line names the case and the request; then the count.
  const std::string line = "poolbench: " + failed + ": GET " + fake.url() + "/";
  const auto first = run.err.find(line);
  ASSERT_NE(first, std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(line, first + 1), std::string::npos) << "said twice:\n" << run.err;
  EXPECT_NE(run.err.find("got 200 'Hello, tybalt'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("1 case(s) failed"), std::string::npos) << run.err;

  // A run with a failed case goes beside --out, never to it.
  EXPECT_FALSE(std::ifstream(out).good()) << out;
  const std::string written = out.substr(0, out.size() - 5) + ".failed.json";
  std::ifstream in(written);
  nlohmann::json doc;
  ASSERT_NO_THROW(doc = nlohmann::json::parse(in)) << "not valid JSON: " << written;
  std::remove(written.c_str());
  std::size_t failed_runs = 0, passed_runs = 0, passed_aggregates = 0;
  for (const auto& r : doc["benchmarks"]) {
    const std::string name = r["run_name"];
    if (name == failed) {
      // Every run of the failed case, never the survivors' statistics.
      EXPECT_EQ(r["run_type"], "iteration") << r.dump();
      EXPECT_TRUE(r.value("error_occurred", false)) << r.dump();
      EXPECT_TRUE(r["error_message"].is_string()) << r.dump();
      EXPECT_FALSE(r.contains("samples")) << r.dump();
      EXPECT_FALSE(r.contains("latency")) << r.dump();
      ++failed_runs;
    } else {
      ASSERT_EQ(name, passed);
      EXPECT_FALSE(r.contains("error_occurred")) << r.dump();
      if (r["run_type"] == "aggregate") {
        ++passed_aggregates;
        continue;
      }
      EXPECT_EQ(r["samples"].size(), 4u);
      ++passed_runs;
    }
  }
  EXPECT_EQ(failed_runs, 9u);
  EXPECT_EQ(passed_runs, 9u);
  EXPECT_GT(passed_aggregates, 0u);
}

INSTANTIATE_TEST_SUITE_P(every_strategy, server_turns_wrong,
                         ::testing::ValuesIn(every_strategy_and_point()),
                         [](const ::testing::TestParamInfo<failure_point>& info) {
                           return std::string(info.param.strategy) + "_" + info.param.where;
                         });

// Warm means warm: every repetition runs its warm-up rounds, untimed, through
// the same pool and clients before timing. Counted at the server.
TEST(warmup, every_repetition_runs_its_warmup_rounds_first) {
  for (const int warmup : {0, 2}) {
    std::atomic<int> requests{0};
    testing::fake_server fake([&](std::string_view target) {
      ++requests;
      return testing::hello_reply(target);
    });
    const std::string out = testing::unique_temp_path("warmup.json");
    const auto run = run_program(
        POOLBENCH_PATH,
        {"--url", fake.url(), "--strategies", "serial", "--names", "a,b", "--rounds", "3",
         "--repetitions", "2", "--warmup-rounds", std::to_string(warmup), "--out", out},
        60s);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    // probe + verification + 2 repetitions x (warm-up + 3 timed rounds) x 2 names
    EXPECT_EQ(requests.load(), 1 + 2 + 2 * (warmup + 3) * 2) << "warm-up " << warmup;
    std::ifstream in(out);
    const auto doc = nlohmann::json::parse(in);
    std::remove(out.c_str());
    EXPECT_EQ(doc["context"]["warmup_rounds"], warmup);
    for (const auto& r : doc["benchmarks"]) {
      if (r["run_type"] == "iteration") {
        EXPECT_EQ(r["samples"].size(), 3u);  // only the timed rounds
      }
    }
  }
}

// Interleaving: the order the repetitions ran in is in the file, each case's
// repetitions all there and numbered in order. Interleaved, the order itself
// must show it: Google Benchmark shuffles all 4 x 5 repetitions, and a shuffle
// that leaves every case's repetitions side by side has probability
// 4! x 5!^4 / 20! (about 2e-9). A custom workload runs them case after case
// unless asked, and that too is checked in the order, not in the flag.
TEST(interleaving, the_recorded_order_is_interleaved_only_when_asked) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const std::string base = "serial/warm/batch:1/workers:1/delay_ms:";
  const std::vector<std::string> cases = {base + "0", base + "0/keepalive:1", base + "1",
                                          base + "1/keepalive:1"};
  for (const bool interleave : {true, false}) {
    SCOPED_TRACE(interleave ? "--interleave" : "default");
    const std::string out = testing::unique_temp_path("interleave.json");
    std::vector<std::string> args{
        "--url", server.url(),       "--strategies",  "serial", "--names",  "romeo", "--delay-ms",
        "0,1",   "--keepalive=both", "--repetitions", "5",      "--rounds", "1",     "--out",
        out};
    if (interleave)
      args.push_back("--interleave");
    const auto run = run_program(POOLBENCH_PATH, args, 120s);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    std::ifstream in(out);
    const auto doc = nlohmann::json::parse(in);
    std::remove(out.c_str());
    EXPECT_EQ(doc["context"]["interleaved"], interleave);
    const auto order = doc["run_order"].get<std::vector<std::string>>();
    ASSERT_EQ(order.size(), 20u);
    // Per case: the positions its repetitions ran at, and their numbers.
    std::map<std::string, std::vector<std::size_t>> positions;
    std::map<std::string, std::vector<std::string>> numbers;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const auto hash = order[i].rfind('#');
      ASSERT_NE(hash, std::string::npos) << order[i];
      positions[order[i].substr(0, hash)].push_back(i);
      numbers[order[i].substr(0, hash)].push_back(order[i].substr(hash + 1));
    }
    std::size_t contiguous = 0;
    for (const auto& c : cases) {
      ASSERT_EQ(positions[c].size(), 5u) << c;
      EXPECT_EQ(numbers[c], (std::vector<std::string>{"1", "2", "3", "4", "5"})) << c;
      contiguous += positions[c].back() - positions[c].front() == 4 ? 1 : 0;
    }
    if (interleave) {
      EXPECT_LT(contiguous, cases.size()) << "no case's repetitions were interleaved";
    } else {
      EXPECT_EQ(contiguous, cases.size());
      EXPECT_EQ(order.front(), cases.front() + "#1");
    }
  }
}

TEST(result_destination, unwritable_out_is_a_clear_error_before_any_work) {
  const auto run =
      run_program(POOLBENCH_PATH, {"--quick", "--out", "/nonexistent-dir/x.json"}, 60s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("poolbench: --out: cannot create a file beside /nonexistent-dir/x.json"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(run.err.find("started poolbench-server"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace poolbench::runner
