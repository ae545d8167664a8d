// The embedded poolbench-server as a backend with limits (poolbench
// --server-max-in-flight, --server-over-limit, --server-rate-limit): its
// refusals are retried and counted, every case measures, and the run entry
// holds the server's own counts beside the client's.

#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace poolbench::runner {
namespace {

using testing::run_program;
using namespace std::chrono_literals;

// Runs poolbench with `args` and --out, expects exit 0, and returns the
// iteration runs of the file (and its context in `context`).
std::vector<nlohmann::json> measured_runs(std::vector<std::string> args,
                                          nlohmann::json* context = nullptr) {
  const std::string out = testing::unique_temp_path("limited_server.json");
  args.insert(args.end(), {"--allow-busy", "--out", out});
  const auto run = run_program(POOLBENCH_PATH, args, 300s);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  if (!in)
    return {};
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  if (context != nullptr)
    *context = doc["context"];
  std::vector<nlohmann::json> runs;
  for (const auto& r : doc["benchmarks"]) {
    if (r["run_type"] == "iteration")
      runs.push_back(r);
  }
  return runs;
}

// A limit of 16 with reject, 64 workers: four times more requests in flight
// than admitted. Rejections are counted on both sides (the same 503s), the
// retries get every request through, and the server never had more than 16
// in flight.
TEST(limited_server, rejections_at_the_limit_are_retried_and_counted_on_both_sides) {
  nlohmann::json context;
  const auto runs =
      measured_runs({"--strategies", "thread_pool,async_pool", "--modes", "warm", "--batch", "128",
                     "--workers", "64", "--delay-ms", "10", "--server-max-in-flight", "16",
                     "--server-over-limit", "reject", "--rounds", "2", "--repetitions", "2"},
                    &context);
  EXPECT_EQ(context["server_model"], nlohmann::json({{"max-in-flight", "16"},
                                                     {"over-limit", "reject"},
                                                     {"stats-path", "/.poolbench/stats"}}))
      << context.dump();
  EXPECT_EQ(context["expect"], "hello");
  EXPECT_EQ(context["retries"], 10);
  ASSERT_EQ(runs.size(), 4u);
  for (const auto& r : runs) {
    const std::string name = r["name"];
    EXPECT_FALSE(r.value("error_occurred", false)) << r.dump();
    EXPECT_GT(r["server_peak_in_flight"].get<double>(), 0) << name;
    EXPECT_LE(r["server_peak_in_flight"].get<double>(), 16) << name;
    EXPECT_GT(r["rejected_per_round"].get<double>(), 0) << name;
    EXPECT_GT(r["attempts_per_request"].get<double>(), 1) << name;
    // Every 503 the server sent over the timed rounds is one the clients saw.
    EXPECT_DOUBLE_EQ(r["rejected_per_round"].get<double>(),
                     r["server_rejected_503_per_round"].get<double>())
        << name;
    EXPECT_EQ(r["server_rejected_429_per_round"].get<double>(), 0) << name;
  }
}

// Queue instead of reject: no refusal at all, and the wait is the server's.
TEST(limited_server, a_queueing_limit_refuses_nothing_and_measures_the_wait) {
  const auto runs =
      measured_runs({"--strategies", "async_pool", "--modes", "warm", "--batch", "64", "--workers",
                     "32", "--delay-ms", "5", "--server-max-in-flight", "8", "--server-over-limit",
                     "queue", "--rounds", "2", "--repetitions", "1"});
  ASSERT_EQ(runs.size(), 1u);
  const auto& r = runs.front();
  EXPECT_EQ(r["rejected_per_round"].get<double>(), 0) << r.dump();
  EXPECT_EQ(r["attempts_per_request"].get<double>(), 1) << r.dump();
  EXPECT_LE(r["server_peak_in_flight"].get<double>(), 8) << r.dump();
  EXPECT_GT(r["server_queue_wait_us_max"].get<double>(), 0) << r.dump();
}

// A rate limit: the excess gets 429, retried and counted like a 503.
TEST(limited_server, a_rate_limit_gives_429s_that_are_retried_and_counted) {
  const auto runs =
      measured_runs({"--strategies", "thread_pool", "--modes", "warm", "--batch", "40", "--workers",
                     "8", "--server-rate-limit", "400", "--server-rate-burst", "4", "--rounds", "2",
                     "--repetitions", "1"});
  ASSERT_EQ(runs.size(), 1u);
  const auto& r = runs.front();
  EXPECT_GT(r["rejected_per_round"].get<double>(), 0) << r.dump();
  EXPECT_DOUBLE_EQ(r["rejected_per_round"].get<double>(),
                   r["server_rejected_429_per_round"].get<double>())
      << r.dump();
  EXPECT_EQ(r["server_rejected_503_per_round"].get<double>(), 0) << r.dump();
}

// Without a backend model the server's counters are not read (its stats
// endpoint would put the model's bookkeeping on every request's path): the
// keys are absent, never 0.
TEST(limited_server, without_a_model_there_are_no_server_counts) {
  const auto runs = measured_runs(
      {"--strategies", "serial", "--names", "romeo", "--rounds", "1", "--repetitions", "1"});
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_FALSE(runs.front().contains("server_peak_in_flight")) << runs.front().dump();
  EXPECT_EQ(runs.front()["rejected_per_round"].get<double>(), 0);
}

}  // namespace
}  // namespace poolbench::runner
