#include <poolbench/report/claims/cost_claims.hpp>

#include <poolbench/report/formatted.hpp>

#include <poolbench/report/claims/sequential_family.hpp>
#include <poolbench/report/stats_names.hpp>
#include <poolbench/stats/sequential_family.hpp>

#include <algorithm>
#include <cmath>
#include <span>

namespace poolbench::report {
namespace {

struct entry {
  std::string strategy;
  const benchmark_result* result;
  std::vector<double> values;
  double first_mean;  // over the first look's values: what picks the pair
};

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

double mean_of_first(const std::vector<double>& values, std::size_t n) {
  return mean_of(std::span<const double>(values).first(std::min(n, values.size())));
}

struct candidate_claim {
  cost_claim claim;
  std::vector<double> cheapest, runner_up;  // the counter per repetition, run order
};

// One metric's claims over every Google Benchmark file, in the order the
// workloads first appear. As for the time claims (sequential_plan.hpp), the
// pair is the cheapest and the runner-up over the first look's repetitions,
// kept whatever later repetitions say.
std::vector<candidate_claim> claims_of(const std::vector<result_file>& files, cost_metric metric,
                                       const std::string& counter, std::size_t first_look) {
  std::vector<candidate_claim> out;
  for (const auto& f : files) {
    if (f.format == source_format::pytest_benchmark)
      continue;
    std::vector<std::pair<workload_key, std::vector<entry>>> workloads;
    for (const auto& b : f.benchmarks) {
      const auto strategy = strategy_of(b);
      auto values = finite_values(b, counter);
      const auto workload = workload_key_of(b);
      if (strategy.empty() || b.failed() || b.open_loop || values.empty() || !workload)
        continue;
      auto it = std::find_if(workloads.begin(), workloads.end(),
                             [&](const auto& w) { return w.first == *workload; });
      if (it == workloads.end())
        it = workloads.insert(workloads.end(), {*workload, {}});
      const double first_mean = mean_of_first(values, first_look);
      it->second.push_back({strategy, &b, std::move(values), first_mean});
    }
    for (auto& [workload, entries] : workloads) {
      std::vector<double> means;
      for (const auto& e : entries)
        means.push_back(e.first_mean);
      const auto pair = stats::leading_two(means);  // as the time claims pick theirs
      if (!pair)
        continue;
      auto& cheapest = entries[pair->fastest];
      auto& next = entries[pair->runner_up];
      candidate_claim c;
      c.claim.metric = metric;
      c.claim.claim.key = workload;
      c.claim.claim.workload = workload_text(workload);
      c.claim.claim.source = f.path;
      c.claim.claim.fastest = cheapest.strategy;
      c.claim.claim.runner_up = next.strategy;
      c.claim.claim.strategies = entries.size();
      c.claim.claim.fastest_bound = bottleneck_of(*cheapest.result);
      c.claim.claim.runner_up_bound = bottleneck_of(*next.result);
      c.cheapest = std::move(cheapest.values);
      c.runner_up = std::move(next.values);
      out.push_back(std::move(c));
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
    }
  }
}

// The sequential rule over the claims of one metric (one Holm family).
std::vector<cost_claim> decide_family(std::vector<candidate_claim>& candidates,
                                      const sequential_settings& settings, cost_metric metric) {
  std::vector<sequential_pair> family;
  for (auto& c : candidates)
    family.push_back({&c.claim.claim, c.cheapest, c.runner_up});
  decide_sequentially(family, settings);
  if (metric == cost_metric::memory)
    decide_small_memory_ties(family, settings);
  std::vector<cost_claim> out;
  for (auto& c : candidates)
    out.push_back(std::move(c.claim));
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
    auto candidates = claims_of(files, metric, counter_of(claims, metric), settings.first_look);
    const auto family = decide_family(candidates, settings, metric);
    claims.costs.insert(claims.costs.end(), family.begin(), family.end());
  }
}

void mark_bounds(const std::vector<result_file>& files, std::vector<workload_claim>& claims) {
  for (auto& c : claims) {
    const auto* fastest = find_claim_benchmark(files, c.source, c.workload, c.fastest);
    const auto* runner_up = find_claim_benchmark(files, c.source, c.workload, c.runner_up);
    c.fastest_bound = fastest ? bottleneck_of(*fastest) : bottleneck::none;
    c.runner_up_bound = runner_up ? bottleneck_of(*runner_up) : bottleneck::none;
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
    const bool both = clients.find(',') != std::string::npos;
    note += "client-bound (" + clients + "): " + (both ? "their" : "its") +
            " CPU, not the pools' waiting, was measured";
  }
  if (wakeup_side_bound(c.fastest_bound) || wakeup_side_bound(c.runner_up_bound)) {
    note += note.empty() ? "" : "; ";
    note += "wake-up-bound: the machine's wake-up latency, not the pools, was measured";
  }
  return note;
}

}  // namespace poolbench::report
