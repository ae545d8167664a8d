// A result file from a program with a strategy of its own (run_main): its
// cases carry a name poolbench-report was never told of (my_pool), and
// show, compare, render and plot read it like any other.

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <set>
#include <string>

namespace {

using poolbench::report::testing::fixture;
using poolbench::report::testing::read_text;
using poolbench::report::testing::run_command;
using poolbench::report::testing::shell_quoted;
using poolbench::report::testing::temp_dir;

// Names of their own: a unity build puts this file beside cli_results_test.cpp.
const std::string& own_strategy_report = poolbench::report::testing::report_program;

std::string quoted_fixture(const std::string& name) {
  return shell_quoted(fixture(name));
}

// The workloads of my_pool in a fixture, as the tables print their names.
std::set<std::string> own_cases(const std::string& name) {
  std::set<std::string> out;
  const auto j = nlohmann::json::parse(read_text(fixture(name)));
  for (const auto& b : j.at("benchmarks")) {
    if (b.at("run_type") == "iteration" && b.at("name").get<std::string>().starts_with("my_pool/"))
      out.insert(b.at("name").get<std::string>());
  }
  return out;
}

TEST(OwnStrategy, ShowListsItsCases) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  const auto cases = own_cases("own_strategy_base.json");
  ASSERT_FALSE(cases.empty()) << "the fixture has no my_pool case: the test proves nothing";
  const auto r =
      run_command(own_strategy_report + " show " + quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  for (const auto& name : cases)
    EXPECT_NE(r.out.find(name), std::string::npos) << name << " is not in\n" << r.out;
}

TEST(OwnStrategy, ItsNameIsReadAsAWorkloadNotAForeignBenchmark) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  // Grouping by strategy needs the name parsed into a workload: another
  // program's benchmark (BM_x/8) has no strategy to group by.
  const auto r = run_command(own_strategy_report + " show --group-by strategy " +
                             quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("benchmark 'strategy=my_pool'"), std::string::npos) << r.out;
}

TEST(OwnStrategy, CompareDecidesOnItsCasesAsOnAnyOther) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  // The same files with async_pool in place of my_pool: the same verdict.
  const auto own =
      run_command(own_strategy_report + " compare " + quoted_fixture("own_strategy_base.json") +
                  " " + quoted_fixture("own_strategy_new.json"));
  const auto built_in =
      run_command(own_strategy_report + " compare " + quoted_fixture("poolbench_base.json") + " " +
                  quoted_fixture("poolbench_new.json"));
  EXPECT_EQ(own.exit_code, built_in.exit_code) << own.err;
  EXPECT_LT(own.exit_code, 2) << own.err;
  EXPECT_NE(own.out.find("my_pool/cold/batch:3/workers:3/delay_ms:0"), std::string::npos)
      << own.out;
  EXPECT_EQ(own.out.find("async_pool"), std::string::npos) << own.out;
}

// The fixture with a context that records my_pool's traits as `traits`, in
// `dir`; its path. my_pool's case is named as a strategy without a pool
// names it, as the program that ran it would have.
std::string with_recorded_traits(const poolbench::report::testing::temp_dir& dir,
                                 const nlohmann::ordered_json& traits) {
  auto text = read_text(fixture("own_strategy_base.json"));
  const std::string pooled = "my_pool/cold/batch:3/workers:3/delay_ms:0";
  for (auto at = text.find(pooled); at != std::string::npos; at = text.find(pooled, at))
    text.replace(at, pooled.size(), "my_pool/batch:3/delay_ms:0");
  auto j = nlohmann::ordered_json::parse(text);
  j["context"]["strategies"] = {{"my_pool", traits}};
  const auto path = (dir.path() / "recorded.json").string();
  std::ofstream(path) << j.dump();
  return path;
}

// A strategy without a pool (a thread per request) recorded as such is
// shown without warm|cold, not as the pool an unknown name is taken for.
TEST(OwnStrategy, ItsRecordedTraitsSayWhetherItIsAPool) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const nlohmann::ordered_json no_pool = {{"has_pool", false},
                                          {"open_loop", false},
                                          {"in_flight", "batch"},
                                          {"client_threads", "batch"},
                                          {"in_default_run", true}};
  const auto show = own_strategy_report + " show --group-by strategy,mode ";
  const auto as_recorded = run_command(show + shell_quoted(with_recorded_traits(dir, no_pool)));
  ASSERT_EQ(as_recorded.exit_code, 0) << as_recorded.err;
  EXPECT_NE(as_recorded.out.find("'strategy=my_pool'"), std::string::npos) << as_recorded.out;
  EXPECT_EQ(as_recorded.out.find("'strategy=my_pool mode="), std::string::npos) << as_recorded.out;
  const auto unrecorded = run_command(show + quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(unrecorded.exit_code, 0) << unrecorded.err;
  EXPECT_NE(unrecorded.out.find("'strategy=my_pool mode=cold'"), std::string::npos)
      << unrecorded.out;
  // A record that is not traits: one line naming the file, exit 2.
  auto bad = no_pool;
  bad["in_flight"] = "all";
  const auto refused = run_command(show + shell_quoted(with_recorded_traits(dir, bad)));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("recorded.json: context: \"strategies\": my_pool: \"in_flight\""),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(poolbench::report::testing::line_count(refused.err), 1u) << refused.err;
}

TEST(OwnStrategy, RenderAndPlotDrawIt) {
  POOLBENCH_REQUIRE_REPORT_PROGRAM();
  temp_dir dir;
  const auto page = (dir.path() / "README.md").string();
  const auto render = run_command(own_strategy_report + " render --out " + shell_quoted(page) +
                                  " " + quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_NE(read_text(page).find("my_pool"), std::string::npos);
  const auto svg = (dir.path() / "own.svg").string();
  const auto plot = run_command(own_strategy_report + " plot --out " + shell_quoted(svg) + " " +
                                quoted_fixture("own_strategy_base.json"));
  ASSERT_EQ(plot.exit_code, 0) << plot.err;
  EXPECT_NE(read_text(svg).find("my_pool"), std::string::npos);
}

}  // namespace
