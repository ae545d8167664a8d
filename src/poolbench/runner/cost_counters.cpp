#include <poolbench/runner/cost_counters.hpp>

#include <poolbench/results/bounds.hpp>
#include <poolbench/runner/strategy_registry.hpp>

#include <algorithm>
#include <cstdint>

namespace poolbench::runner {
std::size_t client_threads(const bench_case& c) {
  return count_for(results::traits_of(c.strategy).client_threads, c);
}

std::optional<double> ideal_round_seconds(const bench_case& c) {
  if (c.delay_ms == 0 || c.names.empty())
    return std::nullopt;
  // Serial's one worker is its one request in flight.
  const std::size_t in_flight = results::traits_of(c.strategy).in_flight == results::per_case::batch
                                    ? c.names.size()
                                    : std::max<std::size_t>(c.workers, 1);
  const std::size_t waves = (c.names.size() + in_flight - 1) / in_flight;
  return static_cast<double>(waves) * static_cast<double>(c.delay_ms) * 1e-3;
}

std::map<std::string, double> wakeup_counters(const bench_case& c, double mean_round_seconds,
                                              std::optional<double> round_trip_s) {
  std::map<std::string, double> out;
  if (!round_trip_s || !(*round_trip_s > 0) || c.names.empty() || !(mean_round_seconds > 0))
    return out;
  const auto in_flight = std::clamp<std::size_t>(c.workers, 1, c.names.size());
  const double per_request =
      mean_round_seconds * static_cast<double>(in_flight) / static_cast<double>(c.names.size());
  const double round_trips = per_request / *round_trip_s;
  out["round_trips_per_request"] = round_trips;
  out["wakeup_bound"] = round_trips <= results::wakeup_bound_round_trips ? 1.0 : 0.0;
  return out;
}

std::map<std::string, double> cost_counters(const bench_case& c, const window_cost& cost,
                                            double mean_round_seconds, const pool_lifecycle& pool,
                                            std::optional<double> drawn_ideal_round_s) {
  std::map<std::string, double> out;
  const double requests = static_cast<double>(std::max<std::size_t>(cost.requests, 1));
  out["client_cpu_us_per_request"] = cost.client_cpu_seconds * 1e6 / requests;
  out["context_switches_per_request"] = static_cast<double>(cost.client_switches) / requests;
  out["peak_pss_mib"] = static_cast<double>(cost.peak_pss_kib) / 1024.0;
  // What the strategy adds over the runner as it was just before: the
  // whole process grows over a run whatever ran in it, so only this
  // difference belongs to the pool. Own memory only (anonymous and shared
  // anonymous pages): the share of file pages moves with unrelated
  // processes. A cold pool's workers live inside a round, between the
  // samples: it has no figure rather than a wrong one.
  const auto above = cost.peak_own_kib > cost.baseline_own_kib
                         ? cost.peak_own_kib - cost.baseline_own_kib
                         : std::uint64_t{0};
  if (!(results::has_pool(c.strategy) && c.mode == pool_mode::cold))
    out["pool_pss_mib"] = static_cast<double>(above) / 1024.0;
  const double client_busy = cost.client_busy();
  out["client_busy"] = client_busy;
  out["client_bound"] = client_busy >= results::busy_bound ? 1.0 : 0.0;
  if (cost.server_cpu_seconds) {
    const double server_busy = cost.server_busy().value_or(0.0);
    out["server_cpu_us_per_request"] = *cost.server_cpu_seconds * 1e6 / requests;
    out["server_busy"] = server_busy;
    out["server_bound"] = server_busy >= results::busy_bound ? 1.0 : 0.0;
    out["cpu_busy"] = cost.cpu_busy().value_or(0.0);
  }
  if (results::has_pool(c.strategy) && c.mode == pool_mode::warm) {
    out["pss_kib_per_worker"] =
        static_cast<double>(above) / static_cast<double>(std::max<std::size_t>(c.workers, 1));
    if (pool.start_seconds)
      out["pool_start_us"] = *pool.start_seconds * 1e6;
    if (pool.stop_seconds)
      out["pool_stop_us"] = *pool.stop_seconds * 1e6;
  }
  const auto ideal = drawn_ideal_round_s ? drawn_ideal_round_s : ideal_round_seconds(c);
  if (ideal && mean_round_seconds > 0) {
    out["ideal_round_s"] = *ideal;
    out["efficiency"] = *ideal / mean_round_seconds;
  }
  return out;
}

}  // namespace poolbench::runner
