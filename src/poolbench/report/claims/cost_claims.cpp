#include <poolbench/report/claims/cost_claims.hpp>

#include <poolbench/report/formatted.hpp>

#include <poolbench/report/claims/sequential_family.hpp>
#include <poolbench/report/stats_names.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace poolbench::report {
namespace {

std::vector<double> finite_values(const benchmark_result& b, const std::string& counter) {
  std::vector<double> out;
  if (const auto it = b.counter_repetitions.find(counter); it != b.counter_repetitions.end()) {
    for (const double v : it->second) {
      if (std::isfinite(v))
        out.push_back(v);
    }
  }
  return out;
}

// A memory claim is a tie when the whole Welch interval of the difference,
// at the look's confidence, lies within ±memory_tie_mib, whatever the ratio
// says (as a ratio interval within the margin is a tie whatever the U test
// says): two small pools' own memory (a few KiB a thread, a few hundred KiB
// a process) is no sizing decision, however many times apart.
void decide_small_memory_ties(std::vector<sequential_pair>& family,
                              const sequential_settings& settings) {
  for (auto& pair : family) {
    auto& claim = *pair.claim;
    if (claim.result == verdict::failed || pair.repetitions < 2)
      continue;
    const auto n = std::min({pair.repetitions, pair.base.size(), pair.candidate.size()});
    const auto difference = welch_difference_interval(
        std::span<const double>(pair.base).first(n),
        std::span<const double>(pair.candidate).first(n), look_confidence(settings));
    if (difference && difference->low >= -memory_tie_mib && difference->high <= memory_tie_mib) {
      claim.result = verdict::same;
      claim.tie_within = formatted("±%g MiB", memory_tie_mib);
      claim.repetitions_to_decide = std::numeric_limits<double>::quiet_NaN();  // decided
    }
  }
}

// One metric's claims over every Google Benchmark file (pick_pairs: the
// pair as the time claims pick theirs), decided by the sequential rule as
// one Holm family.
std::vector<cost_claim> claims_of(const std::vector<result_file>& files, cost_metric metric,
                                  const std::string& counter, const sequential_settings& settings) {
  auto pairs = pick_pairs(files, [&](const benchmark_result& b) -> std::optional<side_values> {
    if (b.open_loop)
      return std::nullopt;
    auto values = finite_values(b, counter);
    const auto first_look = std::min(settings.first_look, values.size());
    return side_values{std::move(values), first_look};
  });
  std::vector<sequential_pair> family;
  for (auto& p : pairs)
    family.push_back({&p.claim, p.fastest_values, p.runner_up_values});
  decide_sequentially(family, settings);
  if (metric == cost_metric::memory)
    decide_small_memory_ties(family, settings);
  std::vector<cost_claim> out;
  for (auto& p : pairs)
    out.push_back({metric, std::move(p.claim)});
  return out;
}

}  // namespace

const char* memory_counter_of(const std::vector<result_file>& files) {
  const auto has = [](const result_file& f, const char* counter) {
    return std::any_of(f.benchmarks.begin(), f.benchmarks.end(), [&](const benchmark_result& b) {
      return b.counter_repetitions.contains(counter);
    });
  };
  for (const auto& f : files) {
    if (f.format != source_format::pytest_benchmark && has(f, "peak_pss_mib") &&
        !has(f, "pool_pss_mib"))
      return "peak_pss_mib";
  }
  return "pool_pss_mib";
}

std::string counter_of(const results_claims& claims, cost_metric metric) {
  return metric == cost_metric::cpu ? "client_cpu_us_per_request" : claims.memory_counter;
}

const char* unit_of(cost_metric metric) noexcept {
  return metric == cost_metric::cpu ? "µs per request" : "MiB";
}

void add_cost_claims(const std::vector<result_file>& files, const sequential_settings& settings,
                     results_claims& claims) {
  claims.memory_counter = memory_counter_of(files);
  for (const auto metric : {cost_metric::cpu, cost_metric::memory}) {
    const auto family = claims_of(files, metric, counter_of(claims, metric), settings);
    claims.costs.insert(claims.costs.end(), family.begin(), family.end());
  }
}

std::string bound_note(const workload_claim& c) {
  const bool server = server_side_bound(c.fastest_bound) || server_side_bound(c.runner_up_bound);
  std::string clients;
  if (client_side_bound(c.fastest_bound))
    clients = c.fastest;
  if (client_side_bound(c.runner_up_bound))
    clients += (clients.empty() ? "" : ", ") + c.runner_up;
  std::string note;
  if (server)
    note = "server-bound: the server, not the pools, was measured";
  if (!clients.empty()) {
    note += note.empty() ? "" : "; ";
    // Not "its CPU": the bound side is the pool, and a reader asked how a
    // pool's own win could be set aside. The client process (poolbench and
    // its workers) ran out of CPU, so the round timed CPU work.
    note += "client-bound (" + clients +
            "): the client's CPU was saturated, so CPU work, not waiting on I/O, was measured";
  }
  if (wakeup_side_bound(c.fastest_bound) || wakeup_side_bound(c.runner_up_bound)) {
    note += note.empty() ? "" : "; ";
    note += "wake-up-bound: the machine's wake-up latency, not the pools, was measured";
  }
  return note;
}

}  // namespace poolbench::report
