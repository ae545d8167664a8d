// Cases run block by block (bench_case::block): every repetition of a lower
// block before any of a higher one in the first stage, the other way round
// in the second, whatever order the cases were listed in; and one
// family_index per case across blocks, as one Google Benchmark run would
// number them. Against a
// local server that answers at once: nothing here depends on timings.

#include "fake_server.hpp"
#include "strict_plan.hpp"

#include <poolbench/runner/measurement.hpp>
#include <poolbench/runner/run_collector.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace poolbench::runner {
namespace {

measurement measure_in_blocks(const std::string& url, double budget) {
  // Two workloads, delay 0 in block 1 (listed first) and delay 1 in block 0,
  // each extended by any budget (strict_plan.hpp).
  const auto p = testing::strict_plan({0, 1}, budget);
  auto cases = cases_of(p);
  for (auto& c : cases)
    c.block = c.delay_ms == 0 ? 1 : 0;
  server_session server(url, 1, {});
  return measure(p, std::move(cases), server, nlohmann::ordered_json::object());
}

bool in_block_zero(const std::string& order_entry) {
  return order_entry.find("/delay_ms:1") != std::string::npos;
}

// Where each block's repetitions ran in run_order, from `from` on: the
// first and last position of block 0 and of block 1.
struct block_span {
  std::size_t first = SIZE_MAX, last = 0;
};
std::pair<block_span, block_span> block_spans(const nlohmann::ordered_json& order,
                                              std::size_t from) {
  block_span zero, one;
  for (std::size_t i = from; i < order.size(); ++i) {
    auto& span = in_block_zero(order[i]) ? zero : one;
    span.first = std::min(span.first, i);
    span.last = std::max(span.last, i);
  }
  return {zero, one};
}

TEST(run_blocks, a_lower_block_runs_first_and_families_stay_one_per_case) {
  testing::fake_server fake([](std::string_view target) { return testing::hello_reply(target); });
  const auto m = measure_in_blocks(fake.url(), 0);
  ASSERT_EQ(m.failed_cases, 0u);
  const auto& order = m.document["run_order"];
  ASSERT_EQ(order.size(), 4u * 9u);
  const auto [zero, one] = block_spans(order, 0);
  EXPECT_EQ(zero.first, 0u) << order.dump();
  EXPECT_EQ(zero.last, 17u) << order.dump();
  EXPECT_EQ(one.first, 18u) << order.dump();
  std::map<std::string, std::set<int>> families;
  for (const auto& r : m.document["benchmarks"])
    families[r["run_name"]].insert(r["family_index"].get<int>());
  ASSERT_EQ(families.size(), 4u);
  std::set<int> all;
  for (const auto& [name, indices] : families) {
    EXPECT_EQ(indices.size(), 1u) << name;
    all.insert(*indices.begin());
  }
  EXPECT_EQ(all, (std::set<int>{0, 1, 2, 3}));
}

// The second stage runs the blocks the other way round: the last block of
// the first stage (the one that disturbs the machine most) has just run, so
// the first block's extra repetitions run furthest from it.
TEST(run_blocks, the_second_stage_runs_block_by_block_the_last_first) {
  testing::fake_server fake([](std::string_view target) { return testing::hello_reply(target); });
  const auto m = measure_in_blocks(fake.url(), 1e6);
  ASSERT_EQ(m.failed_cases, 0u);
  const auto& s = m.document["context"]["sequential"];
  ASSERT_EQ(s["extensions"].size(), 2u) << s.dump(1);
  const auto& order = m.document["run_order"];
  ASSERT_GT(order.size(), 4u * 9u);
  const auto [zero, one] = block_spans(order, 4 * 9);
  ASSERT_LT(zero.first, order.size()) << "block 0 was extended: " << order.dump();
  ASSERT_LT(one.first, order.size()) << "block 1 was extended: " << order.dump();
  EXPECT_LT(one.last, zero.first) << order.dump();
}

// Google Benchmark describes the machine at every run it is asked for, one
// per block and stage: the result's date stays the run's start, not the
// last block's.
TEST(run_blocks, the_machine_is_described_once_at_the_start_of_the_run) {
  run_collector collector;
  const benchmark::BenchmarkReporter::Context context;
  ASSERT_TRUE(collector.ReportContext(context));
  const auto first = collector.machine();
  ASSERT_TRUE(first.contains("date"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the date counts seconds
  ASSERT_TRUE(collector.ReportContext(context));
  EXPECT_EQ(collector.machine(), first);
}

}  // namespace
}  // namespace poolbench::runner
