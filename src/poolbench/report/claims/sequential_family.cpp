#include <poolbench/report/claims/sequential_family.hpp>

#include <poolbench/stats/sequential_family.hpp>

namespace poolbench::report {

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
    family[i].repetitions = d.estimate.repetitions;
    family[i].planned_total = d.planned_total;
  }
  return decided.tests;
}

}  // namespace poolbench::report
