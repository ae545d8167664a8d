// Integration: poolbench's JSON must stay readable by Google Benchmark's own
// tools/compare.py (Debian's libbenchmark-tools), which CI users already have.
// Runs on the contract-shaped fixtures, and on a file the runner writes when
// the runner is built.

#include "test_support.hpp"

#include <poolbench/report/load.hpp>

#include <gtest/gtest.h>

#include <filesystem>

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
