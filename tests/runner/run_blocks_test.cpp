// Cases run block by block (bench_case::block): every repetition of a lower
// block before any of a higher one, in the first stage and in the second,
// whatever order the cases were listed in; and one family_index per case
// across blocks, as one Google Benchmark run would number them. Against a
// local server that answers at once: nothing here depends on timings.

#include "fake_server.hpp"
#include "strict_plan.hpp"

#include <poolbench/runner/measurement.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
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

// Positions in run_order from `from` on: the last of block 0, the first of block 1.
std::pair<std::size_t, std::size_t> block_edges(const nlohmann::ordered_json& order,
                                                std::size_t from) {
  std::size_t last_zero = from, first_one = order.size();
  for (std::size_t i = from; i < order.size(); ++i) {
    if (in_block_zero(order[i]))
      last_zero = i;
    else
      first_one = std::min(first_one, i);
  }
  return {last_zero, first_one};
}

TEST(run_blocks, a_lower_block_runs_first_and_families_stay_one_per_case) {
  testing::fake_server fake([](std::string_view target) { return testing::hello_reply(target); });
  const auto m = measure_in_blocks(fake.url(), 0);
  ASSERT_EQ(m.failed_cases, 0u);
  const auto& order = m.document["run_order"];
  ASSERT_EQ(order.size(), 4u * 9u);
  const auto [last_zero, first_one] = block_edges(order, 0);
  EXPECT_EQ(last_zero, 17u) << order.dump();
  EXPECT_EQ(first_one, 18u) << order.dump();
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

TEST(run_blocks, the_second_stage_runs_block_by_block_too) {
  testing::fake_server fake([](std::string_view target) { return testing::hello_reply(target); });
  const auto m = measure_in_blocks(fake.url(), 1e6);
  ASSERT_EQ(m.failed_cases, 0u);
  const auto& s = m.document["context"]["sequential"];
  ASSERT_EQ(s["extensions"].size(), 2u) << s.dump(1);
  const auto& order = m.document["run_order"];
  ASSERT_GT(order.size(), 4u * 9u);
  const auto [last_zero, first_one] = block_edges(order, 4 * 9);
  EXPECT_LT(last_zero, first_one) << order.dump();
  EXPECT_LT(first_one, order.size()) << "block 1 was extended too: " << order.dump();
}

}  // namespace
}  // namespace poolbench::runner
