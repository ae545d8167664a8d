#pragma once
// The delay each request of a round asks the server for. A case with a
// distribution (--delay) draws them from the common-random-numbers stream
// keyed by (seed, repetition, round, position), so every strategy of a run
// meets the same delay at the same place: what differs between two cases'
// round times is the strategy, not the luck of the draw. A case with a
// constant delay (--delay-ms) asks for that delay everywhere.

#include <poolbench/runner/bench_case.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <vector>

namespace poolbench::runner {

// Per position of the batch.
using round_delays = std::vector<std::chrono::microseconds>;

// Where a round sits in the stream. Repetitions and rounds count from 0;
// the warm-up rounds come first in a repetition's count, then the timed
// ones, so round k of repetition r is the same round for every strategy.
struct round_key {
  std::uint64_t seed = 1;
  std::uint64_t repetition = 0;
  std::uint64_t round = 0;
};
// The verification round before any repetition: a repetition of its own
// that no timed round shares.
inline constexpr std::uint64_t verification_repetition = std::numeric_limits<std::uint64_t>::max();

[[nodiscard]] round_delays delays_of_round(const bench_case& c, const round_key& key);

// What a round's drawn delays say about it: their sum, and the exact ideal
// round for the case's requests in flight (delay::ideal_round_seconds).
struct drawn_round {
  double delay_sum_s = 0;
  double ideal_s = 0;
};
[[nodiscard]] drawn_round describe_drawn_round(const bench_case& c, const round_delays& delays);

// Requests a case has in flight at most: the batch for the floor and
// unbounded, the workers for a pool, 1 for serial.
[[nodiscard]] std::size_t requests_in_flight(const bench_case& c);

}  // namespace poolbench::runner
