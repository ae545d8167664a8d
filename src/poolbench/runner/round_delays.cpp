#include <poolbench/runner/round_delays.hpp>

#include <poolbench/runner/strategy_registry.hpp>

#include <poolbench/delay/delay_stream.hpp>
#include <poolbench/delay/ideal_round.hpp>

#include <algorithm>

namespace poolbench::runner {

round_delays delays_of_round(const bench_case& c, const round_key& key) {
  const auto n = c.names.size();
  if (!c.delay)
    return round_delays(n, std::chrono::milliseconds(c.delay_ms));
  round_delays out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(c.delay->at(delay::uniform_at(key.seed, key.repetition, key.round, i)));
  return out;
}

std::size_t requests_in_flight(const bench_case& c) {
  return count_for(results::traits_of(c.strategy).in_flight, c);
}

drawn_round describe_drawn_round(const bench_case& c, const round_delays& delays) {
  std::vector<double> seconds;
  seconds.reserve(delays.size());
  drawn_round out;
  for (const auto d : delays) {
    seconds.push_back(std::chrono::duration<double>(d).count());
    out.delay_sum_s += seconds.back();
  }
  out.ideal_s = delay::ideal_round_seconds(seconds, requests_in_flight(c));
  return out;
}

}  // namespace poolbench::runner
