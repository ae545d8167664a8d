#include <poolbench/report/claims/sequential_family.hpp>

#include <poolbench/report/claims/bottleneck.hpp>
#include <poolbench/stats/sequential_family.hpp>

#include <poolbench/results/strategy.hpp>

#include <algorithm>
#include <span>

namespace poolbench::report {
namespace {

struct entry {
  const benchmark_result* result;
  side_values side;
  double first_mean;
};

}  // namespace

std::vector<picked_pair> pick_pairs(const std::vector<result_file>& files,
                                    const side_values_of& values_of) {
  std::vector<picked_pair> out;
  for (const auto& f : files) {
    if (f.format == source_format::pytest_benchmark)
      continue;
    std::vector<std::pair<workload_key, std::vector<entry>>> workloads;
    for (const auto& b : f.benchmarks) {
      const auto workload = workload_key_of(b);
      // The floor shares a workload with unbounded (neither has a pool) but
      // is never in a claim.
      if (strategy_of(b).empty() || b.failed() || !workload ||
          !results::is_contender(b.workload->strategy.name()))
        continue;
      auto side = values_of(b);
      if (!side || side->first_look == 0)
        continue;
      auto it = std::find_if(workloads.begin(), workloads.end(),
                             [&](const auto& w) { return w.first == *workload; });
      if (it == workloads.end())
        it = workloads.insert(workloads.end(), {*workload, {}});
      const double first_mean =
          mean_of(std::span<const double>(side->values).first(side->first_look));
      it->second.push_back({&b, std::move(*side), first_mean});
    }
    for (auto& [workload, entries] : workloads) {
      std::vector<double> means;
      for (const auto& e : entries)
        means.push_back(e.first_mean);
      const auto pair = stats::leading_two(means);
      if (!pair)
        continue;
      auto& fastest = entries[pair->fastest];
      auto& next = entries[pair->runner_up];
      picked_pair p;
      p.claim.key = workload;
      p.claim.source = f.path;
      p.claim.fastest = strategy_of(*fastest.result);
      p.claim.runner_up = strategy_of(*next.result);
      p.claim.strategies = entries.size();
      p.claim.fastest_bound = bottleneck_of(*fastest.result);
      p.claim.runner_up_bound = bottleneck_of(*next.result);
      p.fastest = fastest.result;
      p.runner_up = next.result;
      p.fastest_values = std::move(fastest.side.values);
      p.runner_up_values = std::move(next.side.values);
      out.push_back(std::move(p));
    }
  }
  return out;
}

std::size_t decide_sequentially(std::vector<sequential_pair>& family,
                                const sequential_settings& settings) {
  std::vector<stats::sequential_pair> values;
  values.reserve(family.size());
  for (const auto& p : family)
    values.push_back({p.base, p.candidate});
  const auto decided = stats::decide_family(values, settings);
  for (std::size_t i = 0; i < family.size(); ++i) {
    const auto& d = decided.pairs[i];
    auto& c = *family[i].claim;
    auto& est = c.estimate;
    est.base_mean = d.base_mean;
    est.candidate_mean = d.candidate_mean;
    est.ratio = d.estimate.ratio;
    est.base_values = d.base_values;
    est.candidate_values = d.candidate_values;
    est.ratio_interval = d.estimate.ratio_interval;
    est.p_value = d.estimate.p_value;
    c.corrected_p = d.corrected_p;
    c.result = d.result;
    c.look = d.look;
    // Only where the interval crosses the margin: one already beyond it
    // waits on the Holm correction, which more repetitions of this pair
    // alone do not settle in a way the spread can project.
    if (d.result == verdict::inconclusive && d.estimate.ratio_interval) {
      // The rule looks no earlier than its first look, whatever the spread.
      const double needed = stats::projected_repetitions(d.estimate, settings);
      if (!(needed <= static_cast<double>(d.estimate.repetitions)))
        c.repetitions_to_decide = std::max(needed, static_cast<double>(settings.first_look));
    }
    family[i].repetitions = d.estimate.repetitions;
    family[i].planned_total = d.planned_total;
  }
  return decided.tests;
}

}  // namespace poolbench::report
