// poolbench --delay end to end, against the embedded poolbench-server: every
// strategy of a run meets the same drawn delays (common random numbers), each
// run records them and the exact ideal round for them; bad specs are usage
// errors. Uniform draws: most are not whole milliseconds, so requests ask
// with ?delay_us=, and a draw at a wrong key changes every sum (a two-valued
// list's sums can tie: 1ms:50,3ms:50 drew eight 3 ms delays in each of the
// first four repetitions at seed 5).

#include <poolbench/runner/round_delays.hpp>
#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>

namespace poolbench::runner {
namespace {

using testing::run_program;
using namespace std::chrono_literals;

TEST(delay_program, every_strategy_records_the_same_drawn_delays_and_its_exact_ideal) {
  const auto out = testing::unique_temp_path("poolbench_drawn_delays.json");
  constexpr std::size_t batch = 6, workers = 2, rounds = 3, warmups = 1, repetitions = 2;
  const auto run = run_program(POOLBENCH_PATH,
                               {"--delay",
                                "uniform: 1ms..3ms",
                                "--strategies",
                                "serial,thread_pool,process_pool,async_pool,floor,unbounded",
                                "--modes",
                                "warm",
                                "--workers",
                                std::to_string(workers),
                                "--batch",
                                std::to_string(batch),
                                "--rounds",
                                std::to_string(rounds),
                                "--warmup-rounds",
                                std::to_string(warmups),
                                "--repetitions",
                                std::to_string(repetitions),
                                "--seed",
                                "5",
                                "--allow-busy",
                                "--out",
                                out},
                               300s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  EXPECT_EQ(doc["context"]["seed"], 5);

  // What the runner must have drawn: the library's draws at the runner's keys.
  bench_case c{strategy::thread_pool, pool_mode::warm, generated_names(batch), workers, 0,
               connection::fresh};
  c.delay = delay::delay_distribution::parse("uniform:1ms..3ms");
  std::set<std::string> names;
  std::size_t checked = 0;
  for (const auto& r : doc["benchmarks"]) {
    if (r["run_type"] != "iteration")
      continue;
    const auto name = r["run_name"].get<std::string>();
    names.insert(name);
    EXPECT_EQ(r["workload"]["delay"], "uniform:1ms..3ms") << name;
    EXPECT_FALSE(r["workload"].contains("delay_ms")) << name;
    const auto rep = r["repetition_index"].get<std::uint64_t>();
    c.strategy = results::parse_strategy(r["workload"]["strategy"].get<std::string>());
    c.workers = r["workload"]["workers"].get<std::size_t>();
    double sum_s = 0, ideal_s = 0;
    for (std::uint64_t k = warmups; k < warmups + rounds; ++k) {
      const auto drawn = describe_drawn_round(c, delays_of_round(c, {5, rep, k}));
      sum_s += drawn.delay_sum_s;
      ideal_s += drawn.ideal_s;
    }
    // Identical in every strategy: the same delays at the same keys.
    EXPECT_DOUBLE_EQ(r["drawn_delay_ms_per_round"].get<double>(), sum_s * 1e3 / rounds) << name;
    EXPECT_DOUBLE_EQ(r["ideal_round_s"].get<double>(), ideal_s / rounds) << name;
    EXPECT_NEAR(r["efficiency"].get<double>(), ideal_s / rounds / r["mean"].get<double>(), 1e-9)
        << name;
    ++checked;
  }
  EXPECT_EQ(checked, 6 * repetitions);
  EXPECT_EQ(names, (std::set<std::string>{
                       "serial/warm/batch:6/workers:1/delay:uniform_1ms_3ms",
                       "thread_pool/warm/batch:6/workers:2/delay:uniform_1ms_3ms",
                       "process_pool/warm/batch:6/workers:2/delay:uniform_1ms_3ms",
                       "async_pool/warm/batch:6/workers:2/delay:uniform_1ms_3ms",
                       "floor/batch:6/workers:2/delay:uniform_1ms_3ms",
                       "unbounded/batch:6/delay:uniform_1ms_3ms",
                   }));
}

TEST(delay_program, bad_delays_are_usage_errors_named_in_one_line) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--delay", "lognormal:median=5ms"},
       "poolbench: --delay: delay 'lognormal:median=5ms': lognormal needs both median=D and "
       "p99=D (see --help)\n"},
      {{"--delay", "5"},
       "poolbench: --delay: delay '5': '5' needs a unit (us, ms or s) (see "
       "--help)\n"},
      {{"--delay", "5ms", "--rate", "100"},
       "poolbench: --delay draws delays for the closed loop's rounds; the open loop (--rate) "
       "sends one constant --delay-ms (see --help)\n"},
  };
  for (const auto& [args, message] : cases) {
    const auto run = run_program(POOLBENCH_PATH, args, 60s);
    EXPECT_EQ(run.exit_code, 2) << args[1];
    EXPECT_EQ(run.err, message);
  }
  const auto both = run_program(POOLBENCH_PATH, {"--delay", "5ms", "--delay-ms", "5"}, 60s);
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("excludes"), std::string::npos) << both.err;
  const auto help = run_program(POOLBENCH_PATH, {"--help"}, 60s);
  EXPECT_NE(help.out.find("lognormal:median=5ms,p99=100ms"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("unbounded"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace poolbench::runner
