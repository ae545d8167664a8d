#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/claims/cost_claims.hpp>
#include <poolbench/report/claims/drift.hpp>
#include <poolbench/report/claims/pairing.hpp>
#include <poolbench/report/claims/sequential_plan.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace poolbench::report {
namespace {

// A pytest-benchmark file of an older reference has no keepalive: one
// connection per request, 0 (poolbench's runs always have it).
std::string keepalive_of(const benchmark_result& b) {
  const auto v = b.param("keepalive");
  return v.empty() ? "0" : v;
}

// What a Python (pytest-benchmark) run and a C++ run must share, beside
// keepalive, and the order a language claim names them in. pytest-benchmark
// files carry no typed workload: their extra_info is read as parameters.
constexpr const char* language_keys[] = {"strategy", "mode", "batch", "workers", "delay_ms"};

bool same_workload(const benchmark_result& python, const benchmark_result& cpp) {
  for (const char* key : language_keys) {
    if (python.param(key).empty() || python.param(key) != cpp.param(key))
      return false;
  }
  return keepalive_of(python) == keepalive_of(cpp);
}

void add_language_claims(const std::vector<result_file>& files, results_claims& claims) {
  for (const auto& py : files) {
    if (py.format != source_format::pytest_benchmark)
      continue;
    // Like for like (pairing.hpp): a file of another session or server gives
    // one "not comparable" line instead of factors.
    std::map<const result_file*, std::optional<std::string>> why_not;
    for (const auto& f : files) {
      if (f.format != source_format::pytest_benchmark)
        why_not[&f] = not_comparable_reason(f, py);
    }
    std::set<const result_file*> said;
    for (const auto& p : py.benchmarks) {
      if (p.param("strategy").empty())
        continue;  // not one of the pool experiments
      const benchmark_result* match = nullptr;
      const result_file* blocked = nullptr;
      for (const auto& f : files) {
        if (f.format == source_format::pytest_benchmark)
          continue;
        for (const auto& b : f.benchmarks) {
          if (match || b.failed() || !same_workload(p, b))
            continue;
          if (!why_not[&f])
            match = &b;
          else if (!blocked)
            blocked = &f;
        }
      }
      if (!match && blocked) {
        if (said.insert(blocked).second)
          claims.not_comparable.push_back("not comparable: " + py.path + " (Python) and " +
                                          blocked->path + " (C++): " + *why_not[blocked]);
        continue;
      }
      if (!match) {
        claims.unmatched_python.push_back(p.name + " (" + p.param("strategy") + " " +
                                          p.param("mode") + ", " + p.param("workers") +
                                          " workers)");
        continue;
      }
      language_claim c;
      c.python = p.name;
      c.cpp = match->name;
      for (const char* key : language_keys)
        append_key_value(c.workload, key, p.param(key));
      c.estimate = estimate_ratio(inference_values(*match), inference_values(p),
                                  p.name + " vs " + match->name);
      claims.languages.push_back(std::move(c));
    }
  }
}

std::string percent(double fraction) {
  return formatted("%.1f%%", fraction * 100);
}

}  // namespace

namespace {

// The pair is chosen at the first look (sequential_plan.hpp); by a later look
// the runner-up can come out ahead. Every claim reads "fastest first", so
// such a pair is turned round: the names, their bound sides, the means, the
// ratio and its interval (the interval of the log ratio is symmetric, so the
// reciprocal of each end is the interval of the reciprocal), and a verdict
// of "faster" becomes fastest_wins.
void put_the_leader_first(workload_claim& c) {
  if (!(c.estimate.ratio < 1) || c.estimate.ratio <= 0)
    return;
  std::swap(c.fastest, c.runner_up);
  std::swap(c.fastest_bound, c.runner_up_bound);
  auto& e = c.estimate;
  std::swap(e.base_mean, e.candidate_mean);
  std::swap(e.base_values, e.candidate_values);
  e.ratio = 1 / e.ratio;
  if (e.ratio_interval)
    e.ratio_interval = interval{1 / e.ratio_interval->high, 1 / e.ratio_interval->low};
  if (c.result == verdict::faster)
    c.result = fastest_wins;
}

// The runner's second-stage record of each file says which inconclusive
// workloads it extended; one it did not extend stays at the first look for
// a reason the reader should see (a run that asked for no second stage, or
// one whose budget was spent on the workloads nearer a decision).
void say_why_not_extended(const std::vector<result_file>& files,
                          std::vector<workload_claim>& claims) {
  for (auto& c : claims) {
    if (c.result != verdict::inconclusive || c.look != 1)
      continue;
    const auto file = std::find_if(files.begin(), files.end(),
                                   [&c](const result_file& f) { return f.path == c.source; });
    if (file == files.end())
      continue;
    const auto* record = file->context_json("sequential");
    if (record == nullptr || !record->is_object())
      continue;
    const auto workload = workload_text(c.key);
    const auto lists = [&](const char* key) {
      const auto it = record->find(key);
      if (it == record->end() || !it->is_array())
        return false;
      return std::any_of(it->begin(), it->end(), [&](const auto& entry) {
        if (entry.is_string())
          return entry.template get<std::string>() == workload;
        return entry.is_object() && entry.value("workload", std::string()) == workload;
      });
    };
    if (!lists("workloads_needing_more") || lists("extensions"))
      continue;
    const auto budget = record->find("budget_seconds");
    const bool off = budget != record->end() && budget->is_number() && budget->get<double>() <= 0;
    c.not_extended =
        off ? "the second stage was off, --extra-budget 0" : "no time left in --extra-budget";
  }
}

}  // namespace

results_claims compute_claims(const std::vector<result_file>& files, const rule_choice& given) {
  const auto rule = claims_rule_of(files, given);
  const auto& settings = rule.settings;
  // One pass over the workloads: the sequential evaluation picks each pair
  // at the first look and decides it; the language claims need none of them.
  auto sequential = evaluate_sequential(files, settings);
  results_claims claims;
  claims.rule = settings.rule;
  claims.sequential = settings;
  claims.rule_origin = rule.origin;
  claims.failed = std::move(sequential.failed);
  add_language_claims(files, claims);
  for (const auto& s : sequential.workloads) {
    claims.workloads.push_back(s.claim);
    claims.workloads.back().look = s.look;
    put_the_leader_first(claims.workloads.back());
  }
  say_why_not_extended(files, claims.workloads);
  claims.tests = sequential.tests;
  add_cost_claims(files, settings, claims);
  for (auto& c : claims.costs)
    put_the_leader_first(c.claim);  // its pair, too, was chosen at the first look
  claims.order = drift_text(detect_drift(files));
  return claims;
}

namespace {

std::string claim_words(const workload_claim& c, const decision_rule& rule) {
  const auto lead = c.estimate.ratio - 1;
  switch (c.result) {
    case fastest_wins:
      return c.fastest + " wins by " + percent(lead) + " [" +
             percent(c.estimate.ratio_interval->low - 1) + ", " +
             percent(c.estimate.ratio_interval->high - 1) + "]";
    case verdict::same:
      return "tie (within " +
             (c.tie_within.empty() ? "±" + percent(rule.threshold) : c.tie_within) + ")";
    default:
      break;
  }
  std::string why = "too few repetitions";
  if (c.estimate.ratio_interval) {
    why = c.estimate.ratio_interval->low > 1 + rule.threshold
              ? "not significant after the Holm correction"
              : "the interval crosses the ±" + percent(rule.threshold) + " margin";
  }
  return "inconclusive: " + c.fastest + " ahead by " + percent(lead) + ", " + why;
}

// A claim decided on repetitions the runner added says how many; one the
// runner left at its first look says why.
std::string look_text(const workload_claim& c) {
  if (c.look < 2)
    return c.not_extended.empty() ? "" : " (not extended: " + c.not_extended + ")";
  return " (extended to " +
         std::to_string(std::min(c.estimate.base_values, c.estimate.candidate_values)) + " a side)";
}

// What an inconclusive claim whose interval crosses the margin would take
// (nothing for any other claim).
// "The margin" alone read as the winner's lead to a fresh reader: it is the
// ±threshold tie margin, and the text says so.
std::string decide_text(const workload_claim& c, const decision_rule& rule) {
  const double n = c.repetitions_to_decide;
  if (c.result != verdict::inconclusive || std::isnan(n))
    return "";
  const auto margin = "the ±" + percent(rule.threshold) + " margin";
  if (std::isinf(n))
    return "; no number of repetitions would decide it: the ratio sits on " + margin;
  const auto words = repetitions_words(n);
  if (words.rfind("about ", 0) != 0)
    return "; at this spread it would take " + words +
           " repetitions of each pool: the lead is too close to " + margin + " to settle";
  return "; at this spread " + words + " repetitions of each pool would decide it (a win or a tie)";
}

}  // namespace

std::string repetitions_words(double repetitions) {
  // Past this, "about N" is a number nobody would run: the ratio is within
  // noise of the margin, which is what the reader needs to know.
  constexpr double far = 10000;
  if (!(repetitions <= far))
    return "more than 10,000";
  double about = std::ceil(repetitions);
  if (about >= 100) {
    const double unit = std::pow(10.0, std::floor(std::log10(about)) - 1);
    about = std::round(about / unit) * unit;
  }
  return "about " + std::to_string(static_cast<long long>(about));
}

std::string repetitions_range_words(double fewest, double most) {
  const auto low = repetitions_words(fewest);
  const auto high = repetitions_words(most);
  if (low == high)
    return low;
  const std::string about = "about ";
  if (high.rfind(about, 0) == 0)
    return low + " to " + high.substr(about.size());
  return "from " + low + " to " + high;
}

std::string claim_text(const workload_claim& c, const decision_rule& rule) {
  return claim_words(c, rule) + look_text(c) + decide_text(c, rule);
}

}  // namespace poolbench::report
