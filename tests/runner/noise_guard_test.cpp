#include <poolbench/runner/noise_guard.hpp>
#include <poolbench/runner/noise_monitor.hpp>
#include <poolbench/runner/wakeup_latency.hpp>

#include <gtest/gtest.h>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

// The real formats, as a 6.x kernel writes them.
constexpr const char* proc_stat =
    "cpu  93362 21954 7659 11797 267 10 56 103 0 0\n"
    "cpu0 46000 10000 3800 5900 130 5 28 50 0 0\n"
    "intr 1234 0 0\n";
constexpr const char* self_stat =
    "4242 (pool bench) (x)) R 1 4242 4242 0 -1 4194304 130 0 0 0 "
    "120 30 7 3 20 0 1 0 67639 3133440 407 18446744073709551615 0 0 0 0";
constexpr const char* pressure =
    "some avg10=99.96 avg60=98.55 avg300=80.59 total=522849117\n"
    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";

TEST(noise_guard, parses_proc_stat_cpu_line) {
  const auto t = parse_proc_stat(proc_stat);
  EXPECT_EQ(t.busy, 93362u + 21954 + 7659 + 10 + 56);
  EXPECT_EQ(t.idle, 11797u + 267);
  EXPECT_EQ(t.steal, 103u);
  EXPECT_EQ(t.total(), t.busy + t.idle + t.steal);
}

TEST(noise_guard, parses_own_ticks_past_a_command_name_with_spaces_and_parentheses) {
  EXPECT_EQ(parse_self_stat_ticks(self_stat), 120u + 30 + 7 + 3);
}

TEST(noise_guard, parses_a_childs_parent_and_ticks) {
  const auto r = parse_stat_parent_ticks(self_stat);
  EXPECT_EQ(r.parent, 1);
  EXPECT_EQ(r.ticks, 120u + 30);  // its own children are not in it
  EXPECT_THROW((void)parse_stat_parent_ticks("4242 (x) R 1 2 3"), std::invalid_argument);
}

// A child's CPU is the run's own while it lives (the embedded server closing
// the connections of the case before) and after it is reaped, once.
TEST(noise_guard, a_live_childs_cpu_is_the_runs_own_and_counted_once_when_reaped) {
  const double ticks_per_s = static_cast<double>(::sysconf(_SC_CLK_TCK));
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const auto before = run_ticks();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // 0.3 s of CPU, then tell the parent and wait to be killed (async-signal-
    // safe calls only: the test process has threads).
    timespec t{};
    do {
      ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    } while (t.tv_sec == 0 && t.tv_nsec < 300'000'000);
    (void)!::write(ready[1], "x", 1);
    for (;;)
      ::pause();
  }
  ::close(ready[1]);
  pollfd p{ready[0], POLLIN, 0};
  const bool spun = ::poll(&p, 1, 120'000) == 1;  // a deadline, however loaded the machine
  ::close(ready[0]);
  const auto alive = run_ticks();
  ::kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  const auto reaped = run_ticks();
  ASSERT_TRUE(spun) << "the child never finished spinning";
  // Ticks are sampled: allow one tick of rounding at each end.
  EXPECT_GE(static_cast<double>(alive - before), 0.3 * ticks_per_s - 2);
  EXPECT_GE(reaped, alive);
  // Counted once: reaping moves the child's ticks, it does not add them again
  // (only this process's own few ticks may come in between).
  EXPECT_LT(static_cast<double>(reaped - alive), 0.3 * ticks_per_s - 2);
}

TEST(noise_guard, parses_load_and_pressure) {
  EXPECT_DOUBLE_EQ(parse_loadavg("3.81 4.77 6.43 11/137 12102\n"), 3.81);
  EXPECT_EQ(parse_cpu_pressure_total_us(pressure), 522849117u);
}

TEST(noise_guard, rejects_text_that_is_not_the_kernels) {
  EXPECT_THROW((void)parse_proc_stat("intr 1 2 3\n"), std::invalid_argument);
  EXPECT_THROW((void)parse_proc_stat("cpu  1 2 3\n"), std::invalid_argument);
  EXPECT_THROW((void)parse_loadavg(""), std::invalid_argument);
  EXPECT_THROW((void)parse_self_stat_ticks("4242 R 1 2"), std::invalid_argument);
  EXPECT_THROW((void)parse_self_stat_ticks("4242 (x) R 1 2 3"), std::invalid_argument);
  EXPECT_THROW((void)parse_cpu_pressure_total_us("full total=3\n"), std::invalid_argument);
}

// Two snapshots one second apart on 2 CPUs at 100 ticks/s: 200 ticks.
proc_snapshot at(double s, std::uint64_t busy, std::uint64_t idle, std::uint64_t steal,
                 std::uint64_t own, std::uint64_t pressure_us) {
  proc_snapshot p;
  p.at_s = s;
  p.machine = {busy, idle, steal};
  p.own = own;
  p.pressure_us = pressure_us;
  return p;
}

TEST(noise_guard, a_window_separates_others_cpu_from_ours_and_reads_steal_and_pressure) {
  // 150 busy ticks of 200, 40 of them ours; 20 stolen; 300 ms of waiting.
  const auto r = readings_between(at(10, 1000, 5000, 50, 70, 1'000'000),
                                  at(11, 1150, 5030, 70, 110, 1'300'000), 2);
  EXPECT_DOUBLE_EQ(r.window_s, 1.0);
  EXPECT_DOUBLE_EQ(r.steal_fraction, 20.0 / 200);
  EXPECT_DOUBLE_EQ(r.other_cpus, 110.0 / 100);  // 110 ticks of a 100-tick CPU
  ASSERT_TRUE(r.cpu_pressure.has_value());
  EXPECT_NEAR(*r.cpu_pressure, 0.3, 1e-12);
}

TEST(noise_guard, reaped_children_counted_as_ours_never_make_others_negative) {
  const auto r = readings_between(at(0, 100, 100, 0, 0, 0), at(1, 120, 280, 0, 90, 0), 2);
  EXPECT_EQ(r.other_cpus, 0.0);
}

noise_readings quiet() {
  noise_readings r;
  r.load_1m = 0.3;
  r.cpus = 2;
  r.window_s = 0.5;
  r.steal_fraction = 0.0;
  r.other_cpus = 0.05;
  r.cpu_pressure = 0.01;
  r.calibration_s = {0.0054, 0.0055, 0.0054};
  r.calibration_cv = coefficient_of_variation(r.calibration_s);
  return r;
}

TEST(noise_guard, a_quiet_machine_is_not_busy) {
  const auto rec = decide("start", quiet());
  EXPECT_FALSE(rec.busy);
  EXPECT_TRUE(rec.reasons.empty());
  EXPECT_EQ(busy_warning(rec), "");
}

TEST(noise_guard, each_reading_over_its_threshold_makes_the_machine_busy_and_says_which) {
  struct variant {
    const char* word;
    void (*make_busy)(noise_readings&);
  };
  const variant variants[] = {
      {"load average", [](noise_readings& r) { r.load_1m = 3.8; }},
      {"steal", [](noise_readings& r) { r.steal_fraction = 0.08; }},
      {"other processes", [](noise_readings& r) { r.other_cpus = 1.2; }},
      {"waited for a CPU", [](noise_readings& r) { r.cpu_pressure = 0.6; }},
      {"calibration CV",
       [](noise_readings& r) {
         r.calibration_s = {0.0054, 0.0094, 0.0134};
         r.calibration_cv = coefficient_of_variation(r.calibration_s);
       }},
  };
  for (const auto& v : variants) {
    auto r = quiet();
    v.make_busy(r);
    const auto rec = decide("start", r);
    EXPECT_TRUE(rec.busy) << v.word;
    ASSERT_EQ(rec.reasons.size(), 1u) << v.word;
    EXPECT_NE(rec.reasons[0].find(v.word), std::string::npos) << rec.reasons[0];
    const auto warning = busy_warning(rec);
    EXPECT_NE(warning.find("busy"), std::string::npos) << warning;
    EXPECT_NE(warning.find(rec.reasons[0]), std::string::npos) << warning;
  }
}

TEST(noise_guard, a_recheck_ignores_the_load_average_which_holds_the_runs_own_work) {
  auto r = quiet();
  r.load_1m = 3.0;
  EXPECT_FALSE(decide("before x", r, {}, /*use_load=*/false).busy);
  EXPECT_TRUE(decide("start", r, {}, /*use_load=*/true).busy);
}

TEST(noise_guard, json_record_has_the_numbers_busy_and_reasons) {
  auto r = quiet();
  r.other_cpus = 1.5;
  r.cpu_pressure.reset();
  const auto j = to_json(decide("start", r));
  EXPECT_EQ(j["when"], "start");
  EXPECT_DOUBLE_EQ(j["other_cpus"].get<double>(), 1.5);
  EXPECT_TRUE(j["cpu_pressure"].is_null());
  EXPECT_EQ(j["calibration_s"].size(), 3u);
  EXPECT_EQ(j["busy"], true);
  ASSERT_EQ(j["reasons"].size(), 1u);
  for (const char* key : {"load_1m", "cpus", "window_s", "steal_fraction", "calibration_cv"})
    EXPECT_TRUE(j.contains(key)) << key;
}

// The real machine: whatever its load, the readings are well-formed and the
// calibration ran inside the window.
TEST(noise_guard, measures_this_machine) {
  noise_options options;
  options.window = 300ms;
  options.calibration_runs = 5;
  options.calibration_iterations = 200'000;
  const auto rec = measure_noise(options);
  const auto& r = rec.readings;
  EXPECT_EQ(r.cpus, static_cast<unsigned>(::sysconf(_SC_NPROCESSORS_ONLN)));
  EXPECT_GE(r.window_s, 0.3);
  EXPECT_GE(r.steal_fraction, 0.0);
  EXPECT_LE(r.steal_fraction, 1.0);
  EXPECT_GE(r.other_cpus, 0.0);
  EXPECT_LE(r.other_cpus, r.cpus + 0.5);  // tick rounding at the window's ends
  ASSERT_EQ(r.calibration_s.size(), 5u);
  for (double s : r.calibration_s)
    EXPECT_GT(s, 0.0);
  EXPECT_EQ(rec.busy, !rec.reasons.empty());
  // The wake-up round trip was measured, and is in the record.
  ASSERT_TRUE(r.wakeup_round_trip_s.has_value());
  EXPECT_GT(*r.wakeup_round_trip_s, 0.0);
  EXPECT_DOUBLE_EQ(to_json(rec)["wakeup_round_trip_us"].get<double>(),
                   *r.wakeup_round_trip_s * 1e6);
}

std::size_t threads_of_this_process() {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    (void)entry;
    ++n;
  }
  return n;
}

// A bounce needs the other thread to wake: no round trip can be shorter than
// two context switches' worth of work, and the echo thread is gone after (a
// process pool refuses to fork beside threads).
TEST(wakeup_latency, is_a_positive_median_and_leaves_no_thread_behind) {
  // Counted after a first measurement: ThreadSanitizer starts a background
  // thread of its own at the process's first thread creation, and that one
  // is not ours to leave behind.
  (void)measure_wakeup_round_trip(10);
  const auto before = threads_of_this_process();
  const auto round_trip = measure_wakeup_round_trip(300);
  ASSERT_TRUE(round_trip.has_value());
  EXPECT_GT(*round_trip, 0.0);
  EXPECT_EQ(threads_of_this_process(), before);
  EXPECT_FALSE(measure_wakeup_round_trip(0).has_value());
}

noise_record record(const std::string& when, bool busy) {
  noise_record r;
  r.when = when;
  r.readings = quiet();
  r.busy = busy;
  if (busy)
    r.reasons.push_back("other processes used 1.90 CPUs (above 0.25)");
  return r;
}

TEST(noise_monitor, rechecks_at_most_once_per_interval_and_a_busy_recheck_makes_the_run_busy) {
  std::vector<std::string> asked;
  noise_monitor m(record("start", false), 0ms, [&](const std::string& when) {
    asked.push_back(when);
    return record(when, asked.size() == 2);
  });
  EXPECT_FALSE(m.busy());
  EXPECT_EQ(m.summary_warning(), "");
  m.between_cases("a");
  EXPECT_FALSE(m.busy());
  m.between_cases("b");
  EXPECT_TRUE(m.busy());
  EXPECT_EQ(asked, (std::vector<std::string>{"before a", "before b"}));
  const auto j = m.to_json();
  EXPECT_EQ(j["busy"], true);
  ASSERT_EQ(j["rechecks"].size(), 2u);
  ASSERT_EQ(j["reasons"].size(), 1u);
  EXPECT_EQ(j["reasons"][0].get<std::string>().rfind("before b: ", 0), 0u);
  const auto warning = m.summary_warning();
  EXPECT_NE(warning.find("busy"), std::string::npos);
  EXPECT_NE(warning.find("1 of 2 checks between cases"), std::string::npos) << warning;

  noise_monitor rare(record("start", false), 1h, [&](const std::string& when) {
    asked.push_back(when);
    return record(when, true);
  });
  rare.between_cases("c");
  EXPECT_EQ(asked.size(), 2u);  // the hour has not passed
  EXPECT_FALSE(rare.busy());
}

TEST(noise_monitor, a_busy_start_is_in_the_summary_and_a_failed_recheck_is_recorded) {
  noise_monitor m(record("start", true), 0ms,
                  [](const std::string&) -> noise_record { throw std::runtime_error("no /proc"); });
  m.between_cases("a");
  EXPECT_TRUE(m.busy());
  EXPECT_NE(m.summary_warning().find("at the start: other processes"), std::string::npos);
  const auto j = m.to_json();
  ASSERT_TRUE(j.contains("recheck_failures"));
  EXPECT_NE(j["recheck_failures"][0].get<std::string>().find("no /proc"), std::string::npos);
}

}  // namespace
}  // namespace poolbench::runner
