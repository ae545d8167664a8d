// Integration: poolbench's JSON must stay readable by Google Benchmark's own
// tools/compare.py (Debian's libbenchmark-tools), which CI users already have.
// Runs on the contract-shaped fixtures, and on a file the runner writes when
// the runner is built.

#include "test_support.hpp"

#include <poolbench/report/input/load.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

namespace {

using poolbench::report::testing::fixture;
using poolbench::report::testing::run_command;
using poolbench::report::testing::shell_quoted;

const std::string compare_py = "/usr/share/benchmark/compare.py";
const std::string scipy_path =
    std::string(POOLBENCH_SOURCE_DIR) + "/.deps/scipy/usr/lib/python3/dist-packages";

std::string compare_command(const std::string& a, const std::string& b) {
  return "env PYTHONPATH=" + shell_quoted(scipy_path) + " /usr/bin/python3 " + compare_py +
         " benchmarks " + shell_quoted(a) + " " + shell_quoted(b);
}

// Skips without compare.py or scipy; fails instead under CI=true.
#define REQUIRE_COMPARE_PY()                                                                      \
  do {                                                                                            \
    POOLBENCH_REQUIRE_DEPENDENCY(std::filesystem::exists(compare_py),                             \
                                 compare_py << " is absent: install libbenchmark-tools "          \
                                               "(scripts/setup)");                                \
    POOLBENCH_REQUIRE_DEPENDENCY(std::filesystem::exists(scipy_path + "/scipy"),                  \
                                 "scipy is absent from " << scipy_path << ": run scripts/setup"); \
  } while (false)

TEST(ComparePy, AcceptsPoolbenchShapedJson) {
  REQUIRE_COMPARE_PY();
  const auto r =
      run_command(compare_command(fixture("poolbench_base.json"), fixture("poolbench_new.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("async_pool/cold/batch:3/workers:3/delay_ms:0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("_pvalue"), std::string::npos) << r.out;  // it ran its U test
  EXPECT_EQ(r.err.find("Traceback"), std::string::npos) << r.err;
}

// The README's line, as written: scripts/compare-py finds compare.py and the
// unpacked scipy itself. On files in the published format (each benchmark in
// the unit where its mean reads 10 or more) compare.py's whole-unit Time
// columns show real values, not 0 or 1.
TEST(ComparePy, TheWrapperShowsTimesOfTenOrMore) {
  REQUIRE_COMPARE_PY();
  const auto r = run_command(std::string(POOLBENCH_SOURCE_DIR) + "/scripts/compare-py " +
                             shell_quoted(fixture("compare_py_a.json")) + " " +
                             shell_quoted(fixture("compare_py_b.json")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("Traceback"), std::string::npos) << r.err;
  const std::string plain = std::regex_replace(r.out, std::regex("\x1b\\[[0-9;]*m"), "");
  // "<name>[_mean|_median]  +0.0500  +0.0500  Time-Old  Time-New  CPU-Old  CPU-New"
  const std::regex row(
      "^(\\S+?)(_mean|_median)?\\s+[-+]\\d+\\.\\d+\\s+[-+]\\d+\\.\\d+\\s+(\\d+)\\s+(\\d+)\\s+\\d+"
      "\\s+\\d+$");
  std::istringstream lines(plain);
  std::size_t rows = 0;
  std::set<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    // Spreads and compare.py's own OVERALL_GEOMEAN (over mixed units) are no
    // round times.
    if (line.find("_stddev") != std::string::npos || line.find("_cv") != std::string::npos ||
        line.rfind("OVERALL_GEOMEAN", 0) == 0 || !std::regex_match(line, m, row))
      continue;
    ++rows;
    names.insert(m[1]);
    EXPECT_GE(std::stol(m[3]), 10) << line;
    EXPECT_GE(std::stol(m[4]), 10) << line;
  }
  // 3 cases x (9 repetitions + mean + median), in us and in ms.
  EXPECT_EQ(rows, 33u) << plain;
  EXPECT_EQ(names.size(), 3u) << plain;
  EXPECT_NE(plain.find("_pvalue"), std::string::npos) << plain;  // its U test ran: scipy found
  // The README gives this very command.
  EXPECT_NE(poolbench::report::testing::read_text(std::string(POOLBENCH_SOURCE_DIR) + "/README.md")
                .find("`scripts/compare-py old.json new.json`"),
            std::string::npos);
}

}  // namespace

#ifdef POOLBENCH_RUNNER_BIN
// The real thing: a quick run of poolbench (embedded server on 127.0.0.1),
// read by compare.py and by our loader.
TEST(ComparePy, AcceptsWhatPoolbenchWrites) {
  REQUIRE_COMPARE_PY();
  poolbench::report::testing::temp_dir dir;
  const auto out = (dir.path() / "quick.json").string();
  const auto run =
      run_command(std::string(POOLBENCH_RUNNER_BIN) + " --quick --out " + shell_quoted(out), 240);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto file = poolbench::report::load_result_file(out);
  EXPECT_EQ(file.format, poolbench::report::source_format::poolbench);
  ASSERT_FALSE(file.benchmarks.empty());
  for (const auto& b : file.benchmarks) {
    EXPECT_GT(b.stats.rounds, 0u) << b.name;
    EXPECT_EQ(b.samples.size(), b.stats.rounds) << b.name;
    EXPECT_TRUE(b.params.count("strategy")) << b.name;
    // Every pool has a size; the floor (no pool) has the whole batch in flight.
    if (b.params.at("strategy") != "floor") {
      EXPECT_TRUE(b.params.count("workers")) << b.name;
    }
  }
  EXPECT_EQ(file.context_value("load_model"), "closed-loop");
  const auto r = run_command(compare_command(out, out));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(file.benchmarks.front().name), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("_pvalue"), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find("Traceback"), std::string::npos) << r.err;
}
#endif
