// Open-loop mode's claims, checked where they matter: when the pool cannot
// keep up, latency (completion - intended send time) includes the time a
// request waited in the queue; a drain timeout leaves late requests
// incomplete instead of waiting for them; a wrong body fails the case.
// Every bound below is a lower bound derived from the schedule and the
// server's delay (a floor on service time), so a loaded machine only makes
// the measured values larger.

#include "fake_server.hpp"
#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <regex>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

// Each test its own file: ctest runs the tests as separate processes at once.
std::string temp_path(const std::string& name) {
  return testing::unique_temp_path(name);
}

// Runs `poolbench --url URL <args> --out FILE` and returns the parsed file.
nlohmann::json run_open_loop(const std::string& url, std::vector<std::string> args,
                             const std::string& file, int expected_exit,
                             std::string* err = nullptr) {
  const auto out = temp_path(file);
  args.insert(args.end(), {"--url", url, "--out", out});
  const auto run = testing::run_program(POOLBENCH_PATH, args, 240s);
  EXPECT_EQ(run.exit_code, expected_exit) << run.err;
  if (err != nullptr)
    *err = run.err;
  // A run with a failed case goes beside --out (FILE.failed.json), never to it.
  const std::string written =
      expected_exit == 0 ? out : out.substr(0, out.size() - 5) + ".failed.json";
  std::ifstream in(written);
  if (!in)
    return {};
  auto doc = nlohmann::json::parse(in);
  std::remove(written.c_str());
  return doc;
}

std::uint64_t histogram_count(const nlohmann::json& h) {
  std::uint64_t n = h["underflow"].get<std::uint64_t>() + h["overflow"].get<std::uint64_t>();
  for (const auto& bin : h["counts"])
    n += bin[1].get<std::uint64_t>();
  return n;
}

// One worker, 20 ms per request, a request every 5 ms: request k (from 0)
// cannot finish before 20 ms x (k+1) after the first send, but was meant to
// be sent at 5 ms x k, so its latency is at least 15 ms x k + 20 ms. Of 40
// requests, the 21 with k >= 19 are at least 305 ms late: the median is too.
// Measured from the worker's start instead, every latency would be the
// ~20 ms service time.
TEST(open_loop_queueing, latency_grows_with_the_queue_the_schedule_implies) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const auto doc = run_open_loop(
      server.url(),
      {"--strategies", "thread_pool,process_pool,async_pool", "--rate", "200", "--duration", "0.2",
       "--workers", "1", "--delay-ms", "20", "--arrivals", "uniform", "--drain-timeout", "120"},
      "open_loop_queueing.json", 0);
  ASSERT_TRUE(doc.contains("benchmarks"));
  std::size_t runs = 0;
  for (const auto& r : doc["benchmarks"]) {
    SCOPED_TRACE(r["name"].get<std::string>());
    ASSERT_FALSE(r.contains("error_occurred")) << r.dump();
    const auto& ol = r["open_loop"];
    ASSERT_EQ(ol["requests"], 40);
    ASSERT_EQ(ol["completed"], 40);  // a 120 s drain waits for all of them
    EXPECT_EQ(ol["incomplete"], 0);
    const double p50 = ol["latency_s"]["p50"].get<double>();
    const double max = ol["latency_s"]["max"].get<double>();
    // 1 % below the exact bounds: the histogram's resolution.
    EXPECT_GE(p50, 0.305 * 0.99) << ol.dump();
    EXPECT_GE(max, 0.605 * 0.99) << ol.dump();
    // Service time has no queue in it; each request's latency is its service
    // time plus its wait, so the queue shows as the gap between the two.
    EXPECT_GE(ol["service_s"]["p50"].get<double>(), 0.020 * 0.99) << ol.dump();
    EXPECT_LT(ol["service_s"]["p50"].get<double>(), p50) << ol.dump();
    EXPECT_EQ(histogram_count(r["histogram"]), 40u);
    ++runs;
  }
  EXPECT_EQ(runs, 3u);
}

// One worker, 300 ms per request, 10 requests 50 ms apart: all of them need
// 3 s, but the run waits only 100 ms after the last intended send (450 ms).
// At most two can be in by then; the rest are counted incomplete, left out
// of the histogram, and not waited for.
TEST(open_loop_queueing, drain_timeout_leaves_late_requests_incomplete) {
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const auto doc = run_open_loop(
      server.url(),
      {"--strategies", "thread_pool,process_pool,async_pool", "--rate", "20", "--duration", "0.5",
       "--workers", "1", "--delay-ms", "300", "--arrivals", "uniform", "--drain-timeout", "0.1"},
      "open_loop_drain.json", 0);
  ASSERT_TRUE(doc.contains("benchmarks"));
  EXPECT_EQ(doc["context"]["drain_timeout_s"], 0.1);
  std::size_t runs = 0;
  for (const auto& r : doc["benchmarks"]) {
    SCOPED_TRACE(r["name"].get<std::string>());
    ASSERT_FALSE(r.contains("error_occurred")) << r.dump();
    const auto& ol = r["open_loop"];
    ASSERT_EQ(ol["requests"], 10);
    const auto completed = ol["completed"].get<std::uint64_t>();
    const auto incomplete = ol["incomplete"].get<std::uint64_t>();
    EXPECT_EQ(completed + incomplete, 10u);
    // Waiting them all out would take 3 s after the first send: only a
    // dispatcher stalled for ~2.5 s past its deadline could see them all.
    EXPECT_GE(incomplete, 1u) << ol.dump();
    EXPECT_EQ(r["incomplete"].get<double>(), static_cast<double>(incomplete));
    EXPECT_EQ(histogram_count(r["histogram"]), completed);
    ++runs;
  }
  EXPECT_EQ(runs, 3u);
}

// The untimed set-up (the reachability probe and the verified first round,
// one name each) gets right answers; after that the server says the wrong
// name. The failure must come from the scheduled requests (more than the
// set-up's requests reached the server: a failed set-up stops before the
// schedule), fail the case with the request named, and leave no timings.
TEST(open_loop_queueing, a_wrong_body_during_the_schedule_fails_the_case) {
  std::atomic<int> served{0};
  testing::fake_server fake([&served](std::string_view target) {
    if (served++ < 2)  // probe + verify round, one name
      return testing::hello_reply(target);
    return testing::fake_reply{testing::fake_reply::action::answer,
                               testing::raw_http_response(200, "Hello, tybalt")};
  });
  std::string err;
  const auto doc = run_open_loop(fake.url(),
                                 {"--strategies", "thread_pool", "--names", "romeo", "--rate", "50",
                                  "--duration", "0.1", "--workers", "1", "--arrivals", "uniform"},
                                 "open_loop_wrong_body.json", 1, &err);
  static const std::regex named(R"(open/rate:50/workers:1/delay_ms:0: .*romeo.*)"
                                R"(got (200 )?'Hello, tybalt')");
  EXPECT_TRUE(std::regex_search(err, named)) << err;
  EXPECT_GE(served.load(), 4) << "the schedule never ran: " << err;
  ASSERT_TRUE(doc.contains("benchmarks"));
  ASSERT_EQ(doc["benchmarks"].size(), 1u);
  const auto& r = doc["benchmarks"][0];
  EXPECT_TRUE(r.value("error_occurred", false)) << r.dump();
  EXPECT_FALSE(r.contains("open_loop")) << r.dump();
}

}  // namespace
}  // namespace poolbench::runner
