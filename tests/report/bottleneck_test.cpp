// The bottleneck mark from a result's cost counters: a synthetic result whose
// server (or client) was busy 0.9 of its CPUs is marked so; below, or with
// the counter absent (an external server), nothing is claimed. A case whose
// requests took at most 20 of the machine's wake-up round trips each is
// wake-up-bound, marked by the same mechanism.

#include <poolbench/report/claims/bottleneck.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/tables/print_table.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace poolbench::report {
namespace {

benchmark_result with_counters(std::map<std::string, double> counters) {
  benchmark_result r;
  r.name = "async_pool/warm/batch:4096/workers:1024/delay_ms:10/keepalive:1";
  r.counters = std::move(counters);
  return r;
}

TEST(bottleneck, a_busy_server_marks_the_case_server_bound) {
  const auto r = with_counters({{"server_busy", 0.93}, {"client_busy", 0.4}});
  EXPECT_EQ(bottleneck_of(r), bottleneck::server);
  EXPECT_EQ(bottleneck_mark(bottleneck_of(r)), "server-bound");
}

TEST(bottleneck, a_busy_client_marks_the_case_client_bound) {
  const auto r = with_counters({{"server_busy", 0.5}, {"client_busy", 0.97}});
  EXPECT_EQ(bottleneck_of(r), bottleneck::client);
  EXPECT_EQ(bottleneck_mark(bottleneck_of(r)), "client-bound");
}

TEST(bottleneck, the_threshold_itself_is_bound_and_both_sides_can_be) {
  EXPECT_EQ(bottleneck_of(with_counters({{"server_busy", 0.9}, {"client_busy", 0.9}})),
            bottleneck::both);
  EXPECT_EQ(bottleneck_mark(bottleneck::both), "server+client-bound");
}

TEST(bottleneck, below_the_threshold_or_absent_counters_mark_nothing) {
  EXPECT_EQ(bottleneck_of(with_counters({{"server_busy", 0.89}, {"client_busy", 0.2}})),
            bottleneck::none);
  // With --url there is no server_busy: an external server is never called the bound.
  EXPECT_EQ(bottleneck_of(with_counters({{"client_busy", 0.3}})), bottleneck::none);
  EXPECT_EQ(bottleneck_of(with_counters({})), bottleneck::none);
  EXPECT_EQ(bottleneck_mark(bottleneck::none), "");
}

}  // namespace
}  // namespace poolbench::report

namespace poolbench::report {
namespace {

// The mark reaches the table a reader sees, beside the case it bounds.
TEST(bottleneck, the_table_names_the_bound_side_beside_the_case) {
  result_file file;
  file.path = "synthetic.json";
  auto bound = with_counters({{"server_busy", 0.95}});
  auto free = with_counters({{"server_busy", 0.2}});
  free.name = "thread_pool/warm/batch:4096/workers:1024/delay_ms:10/keepalive:1";
  for (auto* r : {&bound, &free}) {
    r->samples = {0.1, 0.11, 0.12};
    r->stats = compute_statistics(r->samples);
    r->repetition_means = {0.11};
    file.benchmarks.push_back(*r);
  }
  std::ostringstream out;
  print_table(out, {file});
  const auto text = out.str();
  const auto line_of = [&](const std::string& name) {
    const auto at = text.find(name);
    return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
  };
  EXPECT_NE(line_of("async_pool").find("[server-bound]"), std::string::npos) << text;
  EXPECT_EQ(line_of("thread_pool").find("-bound"), std::string::npos) << text;
}

TEST(bottleneck, a_chain_of_wakeups_marks_the_case_wakeup_bound) {
  const auto r = with_counters({{"round_trips_per_request", 4.2}, {"wakeup_bound", 1}});
  EXPECT_EQ(bottleneck_of(r), bottleneck::wakeup);
  EXPECT_EQ(bottleneck_mark(bottleneck::wakeup), "wake-up-bound");
  EXPECT_EQ(bottleneck_field(bottleneck::wakeup), "wakeup");
  // The threshold itself is bound, above it nothing is.
  EXPECT_EQ(bottleneck_of(with_counters({{"round_trips_per_request", 20}})), bottleneck::wakeup);
  EXPECT_EQ(bottleneck_of(with_counters({{"round_trips_per_request", 20.5}})), bottleneck::none);
  // A saturated side decided the round whatever the wake-ups took: named first.
  EXPECT_EQ(bottleneck_of(with_counters({{"round_trips_per_request", 4}, {"client_busy", 0.95}})),
            bottleneck::client);
}

// Marked in the table like a server-bound case (ShowWidth checks the
// committed results' marks within 72 columns).
TEST(bottleneck, the_table_marks_a_wakeup_bound_case) {
  std::string runs;
  for (const auto& [strategy, trips] :
       {std::pair{"process_pool", 3}, std::pair{"thread_pool", 300}}) {
    for (const double t : {0.10, 0.11, 0.12}) {
      runs += std::string(runs.empty() ? "" : ",") + R"({"name": ")" + strategy +
              R"(/warm/batch:100/workers:1/delay_ms:0/keepalive:1", "run_type": "iteration",)" +
              R"( "real_time": )" + std::to_string(t) +
              R"(, "time_unit": "s", "round_trips_per_request": )" + std::to_string(trips) + "}";
    }
  }
  const auto file =
      parse_result_text(R"({"context": {}, "benchmarks": [)" + runs + "]}", "synthetic.json");
  std::ostringstream out;
  print_table(out, {file});
  const auto text = out.str();
  const auto line_of = [&](const std::string& name) {
    const auto at = text.find(name);
    return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
  };
  EXPECT_NE(line_of("process_pool").find("[wake-up-bound]"), std::string::npos) << text;
  EXPECT_EQ(line_of("thread_pool").find("-bound"), std::string::npos) << text;
}

}  // namespace
}  // namespace poolbench::report
