#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/stats_names.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::report {

std::vector<double> inference_values(const benchmark_result& b) {
  const auto& source =
      b.repetition_means.empty() && b.kind == sample_kind::rounds ? b.samples : b.repetition_means;
  std::vector<double> out;
  std::copy_if(source.begin(), source.end(), std::back_inserter(out),
               [](double v) { return std::isfinite(v); });
  return out;
}

ratio_estimate estimate_ratio(const std::vector<double>& base, const std::vector<double>& candidate,
                              std::string_view seed_name) {
  ratio_estimate e;
  e.base_values = base.size();
  e.candidate_values = candidate.size();
  e.base_mean = mean_of(base);
  e.candidate_mean = mean_of(candidate);
  e.ratio = e.base_mean > 0 ? e.candidate_mean / e.base_mean : NAN;
  if (base.size() < 2 || candidate.size() < 2)
    return e;
  bootstrap_options options;
  options.seed = bootstrap_seed_for(seed_name);
  e.ratio_interval = bootstrap_ratio_of_means(base, candidate, options);
  e.p_value = mann_whitney_u(base, candidate, u_test_method::exact_without_ties).p_value;
  return e;
}

std::string ratio_text(const ratio_estimate& e, int decimals, const std::string& suffix) {
  if (!std::isfinite(e.ratio))
    return "n/a";
  const auto number = [&](double v) { return formatted("%.*f", decimals, v); };
  std::string text = number(e.ratio);
  text += suffix;
  text += " [";
  text += e.ratio_interval ? number(e.ratio_interval->low) + ", " + number(e.ratio_interval->high)
                           : std::string("n/a");
  text += ']';
  return text;
}

}  // namespace poolbench::report
