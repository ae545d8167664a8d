#pragma once
// Turns benchmark cases into Google Benchmark benchmarks: a verification
// round per case before any timing (which also sizes its rounds), then per
// repetition untimed warm-up rounds and one GB iteration per timed round
// under manual time, per-round statistics as counters, and the raw per-round
// times and per-request latencies (in histograms: see case_record) kept for
// the result file.
//
// No failure aborts the run: a case that fails (verification, pool
// construction, warm-up, any timed round, any repetition) is reported once,
// its remaining repetitions are skipped, and the other cases go on.

#include <poolbench/runner/bench_case.hpp>
#include <poolbench/runner/case_record.hpp>
#include <poolbench/runner/case_registry.hpp>

#include <poolbench/http/client_options.hpp>
#include <poolbench/http/url.hpp>

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace benchmark {
class State;
}

namespace poolbench::runner {

class noise_monitor;

inline constexpr std::size_t default_max_rounds = 100'000;
// Round times a case's record keeps per repetition (evenly spaced when a
// repetition has more: what the result file's `samples` hold); the counters
// are computed from every round before that.
inline constexpr std::size_t kept_rounds_per_repetition = 1000;

// Timed rounds that fill `min_time` seconds at `round_seconds` a round, at
// least 1 and at most `max_rounds`.
[[nodiscard]] std::size_t sized_rounds(double min_time, double round_seconds,
                                       std::size_t max_rounds);

// At most `kept` of `rounds`, evenly spaced by index (all when fewer).
[[nodiscard]] std::vector<double> evenly_thinned(const std::vector<double>& rounds,
                                                 std::size_t kept);

struct closed_loop_settings {
  http::url server;
  http::client_options client;
  std::optional<std::size_t> rounds;  // fixed rounds per repetition, or sized from min_time
  double min_time = 0.2;              // seconds of rounds per repetition, when sizing
  // A guard against a round time misread as near zero, not a budget: short
  // rounds get as many as min_time takes (the record keeps a bounded thinning).
  std::size_t max_rounds = default_max_rounds;
  std::size_t repetitions = 9;
  std::size_t warmup_rounds = 1;  // untimed rounds per repetition, same pool and clients
  // Picks the common-random-numbers stream of cases with drawn delays
  // (round_delays.hpp); --seed, shared with the open loop's schedule.
  std::uint64_t seed = 1;
  bool progress = false;  // case-by-case progress on stderr (a terminal)
  // The embedded server's process and threads, for its cost counters
  // (server_cpu_us_per_request, server_busy); unset with --url: a server
  // that is not ours has no counters (absent, never 0).
  std::optional<pid_t> server_pid;
  std::size_t server_threads = 1;
  // Where the embedded server serves its own counts (server_stats.hpp), read
  // around each repetition's timed rounds; empty: not read.
  std::string server_stats_path;
  // Re-checks the machine before a repetition (at most once per its interval,
  // untimed); none when null. Not owned: outlives the run.
  noise_monitor* noise = nullptr;
};

class closed_loop_runner {
 public:
  closed_loop_runner(closed_loop_settings settings, std::vector<bench_case> cases);

  // The cases' blocks (bench_case::block), ascending: the order to run them in.
  [[nodiscard]] std::vector<std::size_t> blocks() const;

  // Runs the verification round of each case of `block` (of every case
  // when none is given; stderr names any failure) and registers it with
  // Google Benchmark, the run's repetitions; a case whose verification
  // failed is registered too, and reports its error instead of timings.
  // A block is verified just before it runs, so the article's rounds are
  // not sized right after thousands of workers were built for the others.
  // Stops at a wrong server (wrong_server()): nothing more is registered.
  // Google Benchmark's registry must be cleared first (another block's
  // benchmarks would run again).
  void verify_and_register(std::optional<std::size_t> block = std::nullopt);

  // The second stage (second_stage.hpp): registers `extra` more repetitions
  // of each named case of `block` (unknown names are ignored), with the
  // rounds its verification sized. Their repetitions continue the case's
  // numbering and its record; a failure there fails the case like any
  // other. Google Benchmark's registry must be cleared first (the first
  // stage's benchmarks would run again). Returns the cases registered.
  std::size_t register_more(const std::map<std::string, std::size_t>& extra, std::size_t block);

  // Cases registered in blocks before `block`: Google Benchmark numbers
  // families from 0 at every run, so the runs of `block` add this to their
  // family_index to keep one index per case across blocks.
  [[nodiscard]] std::size_t cases_before(std::size_t block) const;

  // After the run: per case name, what the result file adds to GB's runs.
  [[nodiscard]] std::map<std::string, case_record> records() const;
  // Per case name, the mean wall time of its repetitions that ran (pool
  // construction, warm-up, timed rounds and shutdown: what one more
  // repetition costs); cases with none are absent.
  [[nodiscard]] std::map<std::string, double> repetition_seconds() const;
  // The order repetitions ran in, as "<case name>#<repetition>" (1-based):
  // Google Benchmark's random interleaving seeds its shuffle itself, so the
  // realized order is what a reader can check.
  [[nodiscard]] const std::vector<std::string>& run_order() const { return run_order_; }
  // Cases that ended with an error (wrong response, unreachable server, ...).
  [[nodiscard]] std::size_t failed_cases() const { return cases_.failed_cases(); }
  // Set when the first case's verification round got a wrong answer: the
  // server does not speak the protocol --expect names (a wrong --url, a
  // missing --path). "<case>: <error>"; nothing else was verified or
  // registered, so the program stops with this one line.
  [[nodiscard]] const std::optional<std::string>& wrong_server() const { return wrong_server_; }
  // Set when a failure turned out to be the server going away (it no longer
  // accepts connections): the first failure's "<case>: <error>". Every later
  // case is skipped without a line of its own, so the program can stop with
  // one line instead of one per case.
  [[nodiscard]] const std::optional<std::string>& server_lost() const { return server_lost_; }

 private:
  struct entry {
    bench_case c;
    std::string name;
    std::size_t index = 0;
    std::size_t rounds = 1;
    std::size_t repetitions = 0;  // registered so far, both stages
    std::vector<double> repetition_seconds;
    bool verification_failed = false;
    bool wrong_answer = false;  // in verification: an answer, but not the expected one
    case_record record;
  };

  void verify(entry& e);
  void register_entry(entry& e, std::size_t repetitions);
  void run(entry& e, benchmark::State& state);
  [[nodiscard]] std::optional<std::string> reason_to_skip(const entry& e) const;
  void fail(entry& e, const std::string& message);
  void show_progress(const entry& e, const std::string& what) const;
  [[nodiscard]] bool server_refuses_connections() const;

  closed_loop_settings settings_;
  std::optional<std::string> server_lost_;
  std::optional<std::string> wrong_server_;
  std::vector<std::string> run_order_;
  case_registry<entry> cases_;
};

}  // namespace poolbench::runner
