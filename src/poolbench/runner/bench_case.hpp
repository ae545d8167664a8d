#pragma once
// One benchmark case: which strategy, warm or cold, and the workload. Its
// name is the Google Benchmark name every result file and report uses.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::runner {

// floor is the measuring stick (floor_strategy.hpp), not an executor.
enum class strategy { serial, thread_pool, process_pool, async_pool, floor };
enum class mode { warm, cold };

[[nodiscard]] std::string_view to_string(strategy s);
[[nodiscard]] std::string_view to_string(mode m);
// Throws std::invalid_argument naming the accepted values.
[[nodiscard]] strategy parse_strategy(std::string_view text);
[[nodiscard]] mode parse_mode(std::string_view text);

struct bench_case {
  runner::strategy strategy = runner::strategy::serial;
  runner::mode mode = runner::mode::warm;  // serial has no pool: always "warm" in its name
  std::vector<std::string> names;
  std::size_t workers = 1;  // 1 for serial
  std::uint64_t delay_ms = 0;
  bool keepalive = false;

  // <strategy>/<warm|cold>/batch:N/workers:N/delay_ms:N[/keepalive:1];
  // the floor has no pool: floor/batch:N/delay_ms:N[/keepalive:1].
  [[nodiscard]] std::string name() const;
};

// The article's data.
[[nodiscard]] std::vector<std::string> article_names();
// `count` distinct names for a larger batch: user-1, user-2, ...
[[nodiscard]] std::vector<std::string> generated_names(std::size_t count);

// Every combination, in a stable order (strategy, mode, workers, delay,
// keep-alive). serial appears once per delay and keep-alive setting, with
// workers 1 and mode warm, whatever the lists say.
struct grid {
  std::vector<std::string> names;
  std::vector<std::size_t> workers;
  std::vector<std::uint64_t> delays_ms;
  std::vector<bool> keepalive;
  std::vector<strategy> strategies;
  std::vector<mode> modes;
};
[[nodiscard]] std::vector<bench_case> expand(const grid& g);

// The default experiment (scripts/bench): the article's workload for every
// strategy warm and cold, then the I/O-bound sweep (batch 100, delay 0/1/10,
// workers 1/4/16/64 - from 4 at 10 ms, where serial is left out -, keep-alive
// off and on, warm pools), then the many-in-flight sweep (keep-alive, 10 ms,
// workers 64/256/1024/4096 with batch 4 x workers, the three warm pools).
// `quick` shrinks the first sweep to seconds and drops the second. Filters
// apply to every part.
[[nodiscard]] std::vector<bench_case> default_experiment(bool quick,
                                                         const std::vector<strategy>& strategies,
                                                         const std::vector<mode>& modes);

}  // namespace poolbench::runner
