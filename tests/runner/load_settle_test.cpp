// The start check waits for a load average that is busy on its own (a
// build just ended), and never for a machine busy on any other reading.
// Readings are injected and the wait is a counter: no clock is involved.
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

struct scripted {
  explicit scripted(std::vector<noise_record> r) : records(std::move(r)) {}
  std::vector<noise_record> records;
  std::size_t measured = 0;
  std::vector<std::chrono::seconds> waits;

  measure_fn measure() {
    return [this] { return records.at(std::min(measured++, records.size() - 1)); };
  }
  wait_fn wait() {
    return [this](std::chrono::seconds s) { waits.push_back(s); };
  }
};

TEST(load_settle, load_alone_is_told_apart_from_other_readings) {
  EXPECT_FALSE(busy_only_by_load(reading(0.4)));  // quiet
  EXPECT_TRUE(busy_only_by_load(reading(3.0)));
  EXPECT_FALSE(busy_only_by_load(reading(3.0, 0.9)));  // other processes run now
  EXPECT_FALSE(busy_only_by_load(reading(0.4, 0.9)));
}

TEST(load_settle, waits_while_only_the_load_is_high_then_returns_the_quiet_record) {
  scripted s({reading(3.1), reading(1.6), reading(0.8)});
  std::ostringstream log;
  std::chrono::seconds waited{};
  const auto r = settle_load({.limit = 180s, .step = 10s}, s.measure(), s.wait(), log, waited);
  EXPECT_FALSE(r.busy);
  EXPECT_EQ(s.measured, 3u);
  EXPECT_EQ(s.waits, (std::vector<std::chrono::seconds>{10s, 10s}));
  EXPECT_EQ(waited, 20s);
  EXPECT_NE(log.str().find("load 3.10 on 2 CPUs, nothing else running: waiting 10 s"),
            std::string::npos)
      << log.str();
}

TEST(load_settle, a_machine_busy_on_another_reading_is_not_waited_for) {
  scripted s({reading(3.1, 0.9), reading(0.2)});
  std::ostringstream log;
  std::chrono::seconds waited{};
  const auto r = settle_load({.limit = 180s, .step = 10s}, s.measure(), s.wait(), log, waited);
  EXPECT_TRUE(r.busy);
  EXPECT_EQ(s.measured, 1u);
  EXPECT_TRUE(s.waits.empty());
  EXPECT_EQ(waited, 0s);
  EXPECT_TRUE(log.str().empty());
}

TEST(load_settle, gives_up_at_the_limit_and_returns_the_busy_record) {
  scripted s({reading(5.0)});  // never settles
  std::ostringstream log;
  std::chrono::seconds waited{};
  const auto r = settle_load({.limit = 35s, .step = 10s}, s.measure(), s.wait(), log, waited);
  EXPECT_TRUE(r.busy);
  EXPECT_EQ(s.waits.size(), 3u);  // 10 + 10 + 10 <= 35; a fourth would pass it
  EXPECT_EQ(waited, 30s);
  EXPECT_EQ(s.measured, 4u);
}

TEST(load_settle, no_limit_measures_once) {
  scripted s({reading(5.0)});
  std::ostringstream log;
  std::chrono::seconds waited{};
  const auto r = settle_load({}, s.measure(), s.wait(), log, waited);
  EXPECT_TRUE(r.busy);
  EXPECT_EQ(s.measured, 1u);
  EXPECT_TRUE(s.waits.empty());
}

}  // namespace
}  // namespace poolbench::runner
