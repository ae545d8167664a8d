// Integration: scripts/reference/run (the article's tornado server and
// pytest-benchmark tests, checking its three names and bodies every round,
// which the test confirms from the count of checked calls in the JSON)
// writes pytest-benchmark JSON that sits in one table with poolbench's, and
// whose like-for-like tests pair with the C++ rows of the same workload.

#include "test_support.hpp"

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/tables/print_table.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

namespace {

namespace report = poolbench::report;
using report::testing::fixture;
using report::testing::run_command;
using report::testing::shell_quoted;

TEST(PythonReference, RunsAndLoadsBesidePoolbenchResults) {
  POOLBENCH_REQUIRE_DEPENDENCY(
      run_command("/usr/bin/python3 -c 'import tornado, pytest_benchmark'").exit_code == 0,
      "python3-tornado or python3-pytest-benchmark is missing: run scripts/setup");
  report::testing::temp_dir dir;
  const auto out = (dir.path() / "python-reference.json").string();
  // Short samples: this checks what the run writes, not how fast Python is.
  const auto run = run_command(std::string(POOLBENCH_SOURCE_DIR) +
                                   "/scripts/reference/run --max-time 0.2 --warmup-rounds 2 " +
                                   shell_quoted(out),
                               150);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("16 passed"), std::string::npos) << run.out;

  const auto file = report::load_result_file(out);
  EXPECT_EQ(file.format, report::source_format::pytest_benchmark);
  std::set<std::string> names;
  for (const auto& b : file.benchmarks) {
    names.insert(b.name);
    EXPECT_GE(b.stats.rounds, 20u) << b.name;
    EXPECT_GT(b.stats.mean, 0) << b.name;
    EXPECT_EQ(b.params.at("batch"), "3");
    EXPECT_EQ(b.params.at("delay_ms"), "0");
    EXPECT_EQ(b.params.at("keepalive"), "0");
    if (b.params.at("setup") == "like-for-like") {
      EXPECT_EQ(b.params.at("workers"), b.params.at("strategy") == "serial" ? "1" : "3") << b.name;
    } else {
      EXPECT_EQ(b.params.at("setup"), "article original") << b.name;
    }
  }
  EXPECT_EQ(names, (std::set<std::string>{"test_a", "test_t", "test_p", "test_serial",
                                          "test_thread_pool_warm", "test_thread_pool_cold",
                                          "test_process_pool_warm", "test_process_pool_cold",
                                          "test_async_pool_warm", "test_async_pool_cold"}));

  // Every timed call's bodies were checked, not only the one extra call whose
  // result pytest-benchmark returns: at least rounds x iterations checks,
  // plus that extra call (calibration adds more).
  const auto raw = nlohmann::json::parse(report::testing::read_text(out));
  for (const auto& b : raw["benchmarks"]) {
    const auto& stats = b["stats"];
    const auto timed =
        stats["rounds"].get<std::uint64_t>() * stats["iterations"].get<std::uint64_t>();
    ASSERT_TRUE(b["extra_info"].contains("checked")) << b["name"] << " checks no round's body";
    EXPECT_GE(b["extra_info"]["checked"]["calls"].get<std::uint64_t>(), timed + 1) << b["name"];
  }

  std::ostringstream table;
  report::print_table(table, report::load_result_files({fixture("poolbench_base.json"), out}));
  EXPECT_NE(table.str().find("benchmark: 15 tests"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("(1.0)"), std::string::npos);

  // The run records what pairing needs: host, boot and the server it measured.
  EXPECT_EQ(file.context_value("server_software").rfind("TornadoServer", 0), 0u)
      << file.context_value("server_software");
  EXPECT_FALSE(file.context_value("boot_id").empty());
  EXPECT_FALSE(file.context_value("host").empty());
  // The fixture is from another session and server: no factor, one line.
  auto fixture_file = report::load_result_file(fixture("poolbench_base.json"));
  const auto apart = report::compute_claims({fixture_file, file});
  EXPECT_TRUE(apart.languages.empty());
  ASSERT_EQ(apart.not_comparable.size(), 1u);
  EXPECT_EQ(apart.not_comparable[0].rfind("not comparable: ", 0), 0u);
  // Put in this run's session and server, every like-for-like test whose
  // workload the fixture has is paired with it.
  fixture_file.context = {{"host", file.context_value("host")},
                          {"boot_id", file.context_value("boot_id")},
                          {"date", file.context_value("datetime")},
                          {"server_software", file.context_value("server_software")}};
  const auto claims = report::compute_claims({fixture_file, file});
  std::map<std::string, std::string> paired;
  for (const auto& c : claims.languages)
    paired[c.python] = c.cpp;
  EXPECT_EQ(paired["test_serial"], "serial/warm/batch:3/workers:1/delay_ms:0");
  EXPECT_EQ(paired["test_thread_pool_warm"], "thread_pool/warm/batch:3/workers:3/delay_ms:0");
  EXPECT_EQ(paired["test_process_pool_warm"], "process_pool/warm/batch:3/workers:3/delay_ms:0");
  EXPECT_EQ(paired["test_async_pool_cold"], "async_pool/cold/batch:3/workers:3/delay_ms:0");
  EXPECT_EQ(paired.count("test_thread_pool_cold"), 0u);  // the fixture has no such C++ row
}

}  // namespace
