#pragma once
// One benchmark case: the names it fetches and its workload (strategy, warm
// or cold, workers, delay, connection). Its name and JSON fields come from
// the result schema (poolbench/results/workload.hpp), the one place that
// knows them.

#include <poolbench/delay/delay_distribution.hpp>
#include <poolbench/results/workload.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::runner {

using results::connection;
using results::pool_mode;
using results::strategy;

struct bench_case {
  results::strategy strategy = results::strategy::serial;
  pool_mode mode = pool_mode::warm;  // serial and the floor have no pool: always warm
  std::vector<std::string> names;
  std::size_t workers = 1;  // 1 for serial; the floor's requests in flight (<= batch)
  std::uint64_t delay_ms = 0;
  results::connection connection = results::connection::fresh;
  // Each request's delay drawn from this distribution (common random
  // numbers: round_delays.hpp) instead of delay_ms, which is then 0. Its spec
  // is canonical (results::canonical_delay_spec): it is the workload's.
  std::optional<delay::delay_distribution> delay = std::nullopt;
  // Seconds of rounds per repetition as a multiple of the run's --min-time.
  // The default experiment lengthens the article's workload (default_experiment).
  double min_time_scale = 1.0;
  // Cases run block by block, in ascending order, each block's repetitions
  // interleaved among themselves (--interleave) and never with another
  // block's. The default experiment runs the article's short, wake-up-bound
  // rounds first, apart from the sweeps: a case of 1024-4096 workers leaves
  // the machine disturbed for seconds after it (docs/noise.md). A claim
  // compares the cases of one workload, which share a block.
  std::size_t block = 0;

  [[nodiscard]] bool keep_alive() const noexcept {
    return connection == results::connection::keep_alive;
  }
  // The closed-loop workload (batch = the names); for an open loop at `rate`
  // requests per second, its open-loop workload.
  [[nodiscard]] results::workload workload() const;
  [[nodiscard]] results::workload open_loop_workload(double rate, results::arrivals kind) const;
  // results::case_name(workload()).
  [[nodiscard]] std::string name() const;
};

// The article's data.
[[nodiscard]] std::vector<std::string> article_names();
// `count` distinct names for a larger batch: user-1, user-2, ...
[[nodiscard]] std::vector<std::string> generated_names(std::size_t count);

// Every combination, in a stable order (strategy, mode, workers, delay,
// keep-alive). serial appears once per delay and keep-alive setting, with
// workers 1 and mode warm, whatever the lists say; the floor and unbounded
// likewise, with workers = the batch.
struct grid {
  std::vector<std::string> names;
  std::vector<std::size_t> workers;
  std::vector<std::uint64_t> delays_ms;
  std::vector<connection> connections;
  std::vector<strategy> strategies;
  std::vector<pool_mode> modes;
  // Drawn delays (--delay): when not empty, the cases run these instead of
  // delays_ms.
  std::vector<delay::delay_distribution> delays = {};
};
[[nodiscard]] std::vector<bench_case> expand(const grid& g);

// The article's rounds are the shortest of the default experiment (about
// 0.2 ms, three wake-ups each way), and the machine's wake-up latency drifts
// over tenths of a second: on a quiet 2-core VM their repetition CVs were
// 9-14% at 0.2 s a repetition and 4-7% at 1 s (docs/noise.md). So they get 4x
// --min-time, about 45 s more on the default run (what its 15 minutes allow).
inline constexpr double article_min_time_scale = 4.0;

// The default experiment (scripts/bench): the article's workload for every
// strategy warm and cold, then the I/O-bound sweep (batch 100, delay 0/1/10,
// workers 1/4/16/64 - from 4 at 10 ms, where serial is left out -, keep-alive
// off and on, warm pools), then the many-in-flight sweep (keep-alive, 10 ms,
// workers 64/256/1024/4096 with batch 4 x workers, the three warm pools).
// `quick` shrinks the first sweep to seconds and drops the second. Filters
// apply to every part. The article's cases run article_min_time_scale x
// --min-time per repetition. The three parts are three blocks
// (bench_case::block), run in that order.
[[nodiscard]] std::vector<bench_case> default_experiment(bool quick,
                                                         const std::vector<strategy>& strategies,
                                                         const std::vector<pool_mode>& modes);

// The executor zoo (scripts/bench --zoo): every strategy of `strategies`
// on the article's workload (3 names, fresh connections, no delay, 3
// workers, warm), then on the keep-alive sweep (10 ms, batch 4 x workers,
// workers 16/64/256/1024, warm) - all but the strategies that keep one
// request in flight (serial: 40 s a round at 1024 workers says only batch x
// delay). `quick` keeps workers 16 and 64. The article's cases run first,
// in a block of their own (bench_case::block).
[[nodiscard]] std::vector<bench_case> zoo_experiment(bool quick,
                                                     const std::vector<strategy>& strategies);

}  // namespace poolbench::runner
