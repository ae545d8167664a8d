// The run queue is read from /proc/stat's procs_running and procs_blocked:
// injected text for the parser, the real file for the sampler (whose values
// depend on the machine, so only their shape is asserted).
#include <poolbench/runner/run_queue.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace poolbench::runner {
namespace {

constexpr const char* kStat =
    "cpu  100 0 50 1000 5 0 2 0 0 0\n"
    "cpu0 50 0 25 500 2 0 1 0 0 0\n"
    "intr 12345 0 0\n"
    "ctxt 999\n"
    "btime 1700000000\n"
    "processes 4242\n"
    "procs_running 3\n"
    "procs_blocked 2\n"
    "softirq 1 2 3\n";

TEST(run_queue, counts_running_and_blocked_tasks) {
  EXPECT_EQ(parse_run_queue(kStat), 5u);
}

TEST(run_queue, a_missing_or_malformed_count_is_an_error) {
  EXPECT_THROW((void)parse_run_queue("cpu  1 2 3 4 5 6 7 8\nprocs_running 1\n"),
               std::invalid_argument);
  EXPECT_THROW((void)parse_run_queue("procs_running x\nprocs_blocked 0\n"), std::invalid_argument);
  EXPECT_THROW((void)parse_run_queue(""), std::invalid_argument);
  // A longer name that starts with the same letters is not the count.
  EXPECT_THROW((void)parse_run_queue("procs_running_total 4\nprocs_blocked 0\n"),
               std::invalid_argument);
}

TEST(run_queue, the_sampler_reads_the_real_file_at_every_interval) {
  const auto s = sample_run_queue(std::chrono::milliseconds(100), std::chrono::milliseconds(20));
  EXPECT_EQ(s.samples, 6u);  // 0, 20, ..., 100 ms
  EXPECT_GE(s.others_mean, 0.0);
  EXPECT_GE(s.window_s, 0.1);
}

}  // namespace
}  // namespace poolbench::runner
