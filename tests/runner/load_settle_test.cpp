// The start check tells a load average that is busy on its own (a build just
// ended) from a busy run queue: a quiet queue makes the check quiet at once,
// a busy one is waited for; a machine busy on another reading is waited for
// briefly (a step's own processes still exiting), then left busy.
// Readings and queue samples are injected and the wait is a counter: no
// clock is involved.
#include <poolbench/runner/load_settle.hpp>

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

noise_record reading(double load_1m, double other_cpus = 0) {
  noise_readings r;
  r.load_1m = load_1m;
  r.cpus = 2;
  r.window_s = 0.5;
  r.other_cpus = other_cpus;
  return decide("start", r);
}

run_queue_sample queue_of(double others) {
  return {.others_mean = others, .window_s = 3.0, .samples = 151};
}

struct scripted {
  explicit scripted(std::vector<noise_record> r, std::vector<run_queue_sample> q = {queue_of(1.5)})
      : records(std::move(r)), queues(std::move(q)) {}
  std::vector<noise_record> records;
  std::vector<run_queue_sample> queues;
  std::size_t measured = 0;
  std::size_t sampled = 0;
  std::vector<std::chrono::seconds> waits;

  measure_fn measure() {
    return [this] { return records.at(std::min(measured++, records.size() - 1)); };
  }
  run_queue_fn queue() {
    return [this] { return queues.at(std::min(sampled++, queues.size() - 1)); };
  }
  wait_fn wait() {
    return [this](std::chrono::seconds s) { waits.push_back(s); };
  }

  // settle_load over this script, its lines in `log`, its wait in `waited`.
  noise_record settle(const settle_options& options) {
    return settle_load(options, measure(), queue(), wait(), log, waited);
  }
  std::ostringstream log;
  std::chrono::seconds waited{};
};

const settle_options three_minutes{.limit = std::chrono::seconds(180),
                                   .step = std::chrono::seconds(10)};

TEST(load_settle, load_alone_is_told_apart_from_other_readings) {
  EXPECT_FALSE(busy_only_by_load(reading(0.4)));  // quiet
  EXPECT_TRUE(busy_only_by_load(reading(3.0)));
  EXPECT_FALSE(busy_only_by_load(reading(3.0, 0.9)));  // other processes run now
  EXPECT_FALSE(busy_only_by_load(reading(0.4, 0.9)));
}

TEST(load_settle, waits_while_only_the_load_is_high_then_returns_the_quiet_record) {
  scripted s({reading(3.1), reading(1.6), reading(0.8)});
  const auto r = s.settle(three_minutes);
  EXPECT_FALSE(r.busy);
  EXPECT_EQ(s.measured, 3u);
  EXPECT_EQ(s.waits, (std::vector<std::chrono::seconds>{10s, 10s}));
  EXPECT_EQ(s.waited, 20s);
  EXPECT_EQ(s.sampled, 2u);    // before each wait
  EXPECT_FALSE(r.stale_load);  // it settled: the load itself came down
  EXPECT_NE(
      s.log.str().find("load 3.10 on 2 CPUs, 1.50 other tasks runnable now (mean over 3.0 s): "
                       "waiting 10 s (180 s left)"),
      std::string::npos)
      << s.log.str();
}

TEST(load_settle, a_quiet_run_queue_makes_a_high_load_stale_at_once) {
  // Our own previous step left the load at 14.6; nothing runs now.
  scripted s({reading(14.6)}, {queue_of(0.02)});
  const auto r = s.settle(three_minutes);
  EXPECT_FALSE(r.busy);
  EXPECT_TRUE(r.reasons.empty());
  ASSERT_TRUE(r.stale_load);
  EXPECT_DOUBLE_EQ(r.stale_load->run_queue, 0.02);
  EXPECT_EQ(r.stale_load->samples, 151u);
  EXPECT_DOUBLE_EQ(r.readings.load_1m, 14.6);  // the load is still recorded as read
  EXPECT_TRUE(s.waits.empty());
  EXPECT_EQ(s.waited, 0s);
  EXPECT_NE(s.log.str().find("the load is left from earlier work; not waiting"), std::string::npos)
      << s.log.str();
  const auto json = to_json(r);
  EXPECT_FALSE(json["busy"].get<bool>());
  EXPECT_DOUBLE_EQ(json["stale_load"]["run_queue"].get<double>(), 0.02);
}

TEST(load_settle, a_busy_run_queue_is_waited_for_until_it_is_quiet) {
  // One task besides ours runs (a hog that only just started: the load and
  // the queue agree); then it stops.
  scripted s({reading(3.0), reading(2.5)}, {queue_of(1.0), queue_of(0.0)});
  const auto r = s.settle(three_minutes);
  EXPECT_FALSE(r.busy);
  ASSERT_TRUE(r.stale_load);
  EXPECT_EQ(s.waits, (std::vector<std::chrono::seconds>{10s}));
  EXPECT_EQ(s.sampled, 2u);
}

TEST(load_settle, the_queue_threshold_is_the_share_others_may_use) {
  EXPECT_TRUE(run_queue_is_quiet(queue_of(0.25)));
  EXPECT_FALSE(run_queue_is_quiet(queue_of(0.26)));
  EXPECT_FALSE(run_queue_is_quiet({}));  // no samples: nothing is known
}

TEST(load_settle, a_busy_present_that_passes_is_waited_for) {
  // The step before ours still stopping its processes: 0.9 other CPUs now,
  // nothing 10 s later.
  scripted s({reading(3.1, 0.9), reading(0.2)});
  const auto r = s.settle(three_minutes);
  EXPECT_FALSE(r.busy);
  EXPECT_EQ(s.measured, 2u);
  EXPECT_EQ(s.sampled, 0u);  // the run queue only tells a stale load
  EXPECT_EQ(s.waits, (std::vector<std::chrono::seconds>{10s}));
  EXPECT_EQ(s.waited, 10s);
  EXPECT_NE(s.log.str().find("poolbench: busy now (other processes used 0.90 CPUs (above 0.25)): "
                             "waiting 10 s (30 s left)"),
            std::string::npos)
      << s.log.str();
}

TEST(load_settle, a_busy_present_then_a_stale_load_goes_on_at_once) {
  // Others stop; the load they left is then told stale by the run queue.
  scripted s({reading(9.2, 0.4), reading(8.0)}, {queue_of(0.01)});
  const auto r = s.settle(three_minutes);
  EXPECT_FALSE(r.busy);
  ASSERT_TRUE(r.stale_load);
  EXPECT_EQ(s.waited, 10s);
  EXPECT_EQ(s.sampled, 1u);
}

TEST(load_settle, a_sustained_neighbour_is_refused_within_the_others_limit) {
  // A hog (one CPU of other work) never stops: three 10 s waits, then the
  // busy record, far within the 180 s a stale load may take.
  scripted s({reading(1.0, 1.0)});
  const auto r = s.settle(three_minutes);
  EXPECT_TRUE(r.busy);
  EXPECT_EQ(s.waits.size(), 3u);
  EXPECT_EQ(s.waited, 30s);
  EXPECT_EQ(s.measured, 4u);
  EXPECT_EQ(s.sampled, 0u);
  EXPECT_NE(s.log.str().find("no time left to wait (--settle)"), std::string::npos) << s.log.str();
}

TEST(load_settle, a_busy_present_without_settle_is_not_waited_for) {
  scripted s({reading(0.2, 0.9), reading(0.2)});
  const auto r = s.settle({});
  EXPECT_TRUE(r.busy);
  EXPECT_EQ(s.measured, 1u);
  EXPECT_TRUE(s.waits.empty());
  EXPECT_TRUE(s.log.str().empty());
}

TEST(load_settle, gives_up_at_the_limit_and_returns_the_busy_record) {
  scripted s({reading(5.0)});  // never settles
  const auto r = s.settle({.limit = 35s, .step = 10s});
  EXPECT_TRUE(r.busy);
  EXPECT_EQ(s.waits.size(), 3u);  // 10 + 10 + 10 <= 35; a fourth would pass it
  EXPECT_EQ(s.waited, 30s);
  EXPECT_EQ(s.measured, 4u);
  EXPECT_NE(s.log.str().find("no time left to wait (--settle)"), std::string::npos) << s.log.str();
}

TEST(load_settle, no_limit_measures_once_and_samples_no_queue) {
  scripted s({reading(5.0)});
  const auto r = s.settle({});
  EXPECT_TRUE(r.busy);
  EXPECT_EQ(s.measured, 1u);
  EXPECT_EQ(s.sampled, 0u);  // without --settle the load average is taken as it reads
  EXPECT_TRUE(s.waits.empty());
}

}  // namespace
}  // namespace poolbench::runner
