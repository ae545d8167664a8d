#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/claims/claims.hpp>

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/tables/aligned_text.hpp>
#include <poolbench/report/tables/units.hpp>
#include <poolbench/results/strategy_traits.hpp>
#include <poolbench/results/workload.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <tuple>

namespace poolbench::report {
namespace {

std::string failure_text(const benchmark_result& base, const benchmark_result& candidate) {
  std::string text = "failed: ";
  if (base.failed() && candidate.failed())
    return text + "in both files: " + candidate.error;
  return text + (candidate.failed() ? "in new: " + candidate.error : "in old: " + base.error);
}

// A benchmark with the counter in one file only: the files disagree on what
// was measured, which a gate must not read as "no change".
void require_pair(const benchmark_result& base, const benchmark_result& candidate,
                  compare_metric metric) {
  if (has_metric(base, metric) == has_metric(candidate, metric))
    return;
  const auto& lacking = has_metric(base, metric) ? candidate : base;
  throw input_error(lacking.file + ": benchmark \"" + lacking.name + "\" has no " +
                    metric_counter(metric) + ", which the other file has (--metric " +
                    to_string(metric) + ")");
}

comparison compare_one(const benchmark_result& base, const benchmark_result& candidate,
                       compare_metric metric, bool pytest_benchmark) {
  comparison c;
  c.name = base.name;
  c.base = base.stats;
  c.candidate = candidate.stats;
  if (base.failed() || candidate.failed()) {
    c.result = verdict::failed;
    c.failed_in_base = base.failed();
    c.failed_in_candidate = candidate.failed();
    c.failure = failure_text(base, candidate);
    return c;
  }
  require_pair(base, candidate, metric);
  c.estimate =
      estimate_ratio(metric_values(base, metric), metric_values(candidate, metric), c.name);
  if (!has_metric(base, metric)) {
    c.why_inconclusive = std::string("no ") + metric_counter(metric) + " in either file";
    return c;
  }
  for (const auto* side : {&base, &candidate}) {
    if (metric != compare_metric::time)
      break;  // the counters are per repetition whatever the file kept of the times
    if (side->kind == sample_kind::summary && c.why_inconclusive.empty()) {
      const std::string which = side == &base ? "old" : "new";
      c.why_inconclusive =
          pytest_benchmark
              ? "no per-round data in the " + which +
                    " file (pytest-benchmark writes `data` with --benchmark-json, and into "
                    "saved runs only with --benchmark-save-data): no rounds to test"
              : "only aggregates in the " + which +
                    " file (--benchmark_report_aggregates_only): no repetition values to test";
    }
  }
  return c;
}

// After the verdicts: which benchmarks the test can never decide at their
// sample sizes, which are inconclusive with the whole interval beyond the
// margin, and why an inconclusive benchmark could not have had any other
// verdict, whatever its numbers.
void explain_inconclusive(comparison_report& report) {
  const std::size_t tests = std::max<std::size_t>(report.tests, 1);
  report.values_needed = repetitions_needed(report.rule.alpha, tests);
  const auto& unit = report.value_unit;
  for (auto& c : report.common) {
    if (c.result == verdict::failed)
      continue;
    const std::size_t n1 = c.estimate.base_values, n2 = c.estimate.candidate_values;
    if (n1 > 0 && n2 > 0) {
      c.test_cannot_reject =
          n1 < 2 || n2 < 2 ||
          smallest_exact_p(n1, n2) * static_cast<double>(tests) >= report.rule.alpha;
    }
    if (c.result == verdict::inconclusive && c.estimate.ratio_interval) {
      if (c.estimate.ratio_interval->low > 1 + report.rule.threshold)
        c.unconfirmed_side = 1;
      else if (c.estimate.ratio_interval->high < 1 - report.rule.threshold)
        c.unconfirmed_side = -1;
    }
    if (c.result == verdict::inconclusive && c.estimate.ratio_interval && c.unconfirmed_side == 0 &&
        !c.test_cannot_reject) {
      stats::look_estimate look;
      look.repetitions = std::min(n1, n2);
      look.ratio = c.estimate.ratio;
      look.ratio_interval = c.estimate.ratio_interval;
      stats::sequential_settings rule;
      rule.rule = report.rule;
      const double needed = projected_repetitions(look, rule);
      if (needed > static_cast<double>(look.repetitions))
        c.repetitions_to_decide = needed;
    }
    if (c.result != verdict::inconclusive || !c.why_inconclusive.empty())
      continue;
    if (n1 < 2 || n2 < 2) {
      c.why_inconclusive = formatted(
          "%zu and %zu %s: at least 2 a side are needed for a test and an interval (%zu+ "
          "recommended)",
          n1, n2, unit.c_str(), report.values_needed);
    } else if (c.test_cannot_reject) {
      c.why_inconclusive = formatted(
          "%zu and %zu %s: the exact U test's smallest p is %.3g (x %zu "
          "tests for Holm), never below alpha %g; %zu+ %s a side needed",
          n1, n2, unit.c_str(), smallest_exact_p(n1, n2), tests, report.rule.alpha,
          report.values_needed, unit.c_str());
    }
  }
}

// Rows by workload (batch, delay, connection, rate), then strategy, workers
// and pool mode: a pool's row sits beside the other pools of its workload.
// Other programs' benchmarks follow in their file's order (their names carry
// no workload to sort by).
auto row_key(const std::string& name) {
  const auto w = results::parse_case_name(name);
  if (!w)
    return std::make_tuple(1, std::size_t{0}, std::uint64_t{0}, 0, 0.0, std::size_t{0},
                           std::string_view(), std::size_t{0}, 0, std::string());
  return std::make_tuple(0, w->batch, w->delay_ms, static_cast<int>(w->connection),
                         w->open_loop ? w->open_loop->rate : 0.0,
                         results::strategy_rank(w->strategy), w->strategy.name(), w->workers,
                         static_cast<int>(w->mode), name);
}

template <class Row>
void sort_rows(std::vector<Row>& rows) {
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return row_key(a.name) < row_key(b.name); });
}

std::string value_text(double value, const comparison_report& report) {
  if (report.normalized == normalization::none)
    return metric_text(value, report.metric);
  if (!std::isfinite(value))
    return "n/a";
  return formatted("%.4f×", value);
}

std::string row_ratio_text(const comparison& c, const comparison_report& report) {
  if (!c.test_cannot_reject)
    return ratio_text(c.estimate);
  // An interval from fewer values than the rule needs is not a number to
  // read: at 2 repetitions a percentile bootstrap gives [0.0024, 592.05].
  auto e = c.estimate;
  e.ratio_interval.reset();
  auto text = ratio_text(e);
  const auto at = text.find("[n/a]");
  if (at != std::string::npos)
    text.replace(at, 5, "[needs " + std::to_string(report.values_needed) + "+ a side]");
  return text;
}

std::string row_verdict_text(const comparison& c, const comparison_report& report) {
  std::string text = verdict_text(c.result, report.metric);
  if (c.unconfirmed_side != 0) {
    const std::string margin =
        formatted("%c%g%%", c.unconfirmed_side > 0 ? '+' : '-', report.rule.threshold * 100);
    text += std::string(" (all beyond ") + margin + ", not significant)";
  }
  return text;
}

std::string p_text(const std::optional<double>& p) {
  if (!p)
    return "n/a";
  return formatted(*p < 1e-3 ? "%.1e" : "%.4f", *p);
}

std::string percent_text(double fraction) {
  return formatted("%g%%", fraction * 100);
}

}  // namespace

std::string time_text(double seconds) {
  if (!std::isfinite(seconds))
    return "n/a";
  const auto unit = time_scale_for(seconds);
  return formatted("%.4f %ss", seconds * unit.factor, unit.prefix.c_str());
}

std::size_t repetitions_needed(double alpha, std::size_t tests) {
  std::size_t n = 2;
  while (n < 1000 && smallest_exact_p(n, n) * static_cast<double>(tests) >= alpha)
    ++n;
  return n;
}

double smallest_exact_p(std::size_t n1, std::size_t n2) {
  // 2 / C(n1 + n2, n1), in doubles: the counts here stay far below overflow.
  double ways = 1;
  for (std::size_t i = 1; i <= std::min(n1, n2); ++i)
    ways = ways * static_cast<double>(n1 + n2 - std::min(n1, n2) + i) / static_cast<double>(i);
  return std::min(1.0, 2.0 / ways);
}

verdict_counts comparison_report::counts() const {
  verdict_counts n;
  for (const auto& c : common)
    ++n.by_verdict[static_cast<std::size_t>(c.result)];
  for (const auto& c : latency)
    ++n.by_verdict[static_cast<std::size_t>(c.result)];
  return n;
}

bool comparison_report::gate_fails() const {
  return std::any_of(common.begin(), common.end(),
                     [](const comparison& c) {
                       return c.result == verdict::slower || c.failed_in_candidate;
                     }) ||
         std::any_of(latency.begin(), latency.end(), [](const latency_comparison& c) {
           return c.result == verdict::slower || c.failed_in_candidate;
         });
}

comparison_report compare_results(const result_file& base_file, const result_file& candidate_file,
                                  const decision_rule& rule, compare_metric metric,
                                  normalization normalize) {
  if (metric != compare_metric::time) {
    if (normalize != normalization::none)
      throw usage_error(std::string("--normalize floor compares times, not --metric ") +
                        to_string(metric));
    require_metric(base_file, metric);
    require_metric(candidate_file, metric);
  }
  comparison_report report;
  report.metric = metric;
  report.base_file = base_file.path;
  report.candidate_file = candidate_file.path;
  report.rule = rule;
  report.normalized = normalize;
  report.differences = file_differences(base_file, candidate_file);
  report.base_machine = machine_text(base_file);
  report.candidate_machine = machine_text(candidate_file);
  if (base_file.format == source_format::pytest_benchmark ||
      candidate_file.format == source_format::pytest_benchmark)
    report.value_unit = "rounds";
  std::optional<floor_normalized> normalized_base, normalized_candidate;
  if (normalize == normalization::floor) {
    normalized_base = normalize_by_floor(base_file);
    normalized_candidate = normalize_by_floor(candidate_file);
    // Each name once: a benchmark both files leave out for the same reason.
    for (const auto* skipped : {&normalized_base->skipped, &normalized_candidate->skipped}) {
      for (const auto& s : *skipped) {
        if (std::none_of(report.not_normalized.begin(), report.not_normalized.end(),
                         [&](const unnormalized& u) { return u.name == s.name; }))
          report.not_normalized.push_back(s);
      }
    }
  }
  const result_file& base = normalized_base ? normalized_base->file : base_file;
  const result_file& candidate = normalized_candidate ? normalized_candidate->file : candidate_file;
  std::map<std::string, const benchmark_result*> in_candidate;
  for (const auto& b : candidate.benchmarks)
    in_candidate.emplace(b.name, &b);
  std::map<std::string, bool> in_base;
  for (const auto& b : base.benchmarks) {
    in_base[b.name] = true;
    const auto it = in_candidate.find(b.name);
    if (it == in_candidate.end()) {
      report.only_in_base.push_back(b.name);
    } else if (metric == compare_metric::time && (b.open_loop || it->second->open_loop)) {
      report.latency.push_back(compare_latency(b, *it->second, rule));
    } else {
      report.common.push_back(compare_one(b, *it->second, metric, report.value_unit == "rounds"));
    }
  }
  for (const auto& b : candidate.benchmarks) {
    if (!in_base.count(b.name))
      report.only_in_candidate.push_back(b.name);
  }
  // A benchmark one file could not normalise is listed once, not also as
  // present in one file only.
  const auto unlisted = [&](std::vector<std::string>& names) {
    std::erase_if(names, [&](const std::string& n) {
      return std::any_of(report.not_normalized.begin(), report.not_normalized.end(),
                         [&](const unnormalized& u) { return u.name == n; });
    });
  };
  unlisted(report.only_in_base);
  unlisted(report.only_in_candidate);
  sort_rows(report.common);
  sort_rows(report.latency);
  report.tests = correct_and_decide(report.common, report.rule);
  explain_inconclusive(report);
  return report;
}

namespace {

// The header's account of the two files: one line when nothing differs,
// else every difference of machine and settings, and what a change of
// machine means for the verdicts below.
void write_differences(std::ostream& out, const comparison_report& report) {
  if (report.differences.empty()) {
    if (!report.base_machine.empty())
      out << "Both files: " << report.base_machine << "; no difference of machine or settings.\n";
    return;
  }
  out << "Differences between the files (old -> new):\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : report.differences) {
    rows.push_back({d.label, d.base.empty() ? "(not recorded)" : d.base, "->",
                    d.candidate.empty() ? "(not recorded)" : d.candidate});
  }
  write_aligned(out, rows, "  ");
  if (!machines_differ(report.differences))
    return;
  if (report.normalized == normalization::floor) {
    out << "The machines differ: each time is divided by its own run's floor, which cancels "
           "a machine uniformly faster or slower, not one faster at some costs than at others "
           "(docs/reading-results.md): a verdict below may still be the machine's.\n";
  } else {
    out << "The machines differ: a verdict below may be the machine's, not the code's "
           "(--normalize floor cancels a uniform change of speed only: "
           "docs/reading-results.md).\n";
  }
}

// Inconclusive benchmarks whose interval crosses the margin, and what
// deciding them would take at their spread: whether more repetitions in the
// gate's runs would settle them (tens) or the change is within noise of the
// margin (thousands).
void write_deciding(std::ostream& out, const comparison_report& report) {
  const comparison* fewest = nullptr;
  const comparison* most = nullptr;
  std::size_t count = 0;
  for (const auto& c : report.common) {
    if (std::isnan(c.repetitions_to_decide))
      continue;
    ++count;
    if (fewest == nullptr || c.repetitions_to_decide < fewest->repetitions_to_decide)
      fewest = &c;
    if (most == nullptr || c.repetitions_to_decide > most->repetitions_to_decide)
      most = &c;
  }
  if (count == 0)
    return;
  const auto margin = "±" + formatted("%g%%", report.rule.threshold * 100);
  if (count == 1) {
    out << fewest->name << ": inconclusive, its interval across the " << margin
        << " margin; at its spread " << repetitions_words(fewest->repetitions_to_decide)
        << " repetitions in each file would decide it (slower, faster or same).\n";
    return;
  }
  out << count << " benchmarks inconclusive, their intervals across the " << margin
      << " margin: at their spread deciding them (slower, faster or same) would take "
      << repetitions_range_words(fewest->repetitions_to_decide, most->repetitions_to_decide)
      << " repetitions in each file (the fewest: " << fewest->name << ").\n";
}

// Inconclusive benchmarks whose whole interval lies beyond the margin: not
// "same", and on the slow side a slowdown a gate must not pass.
void write_unconfirmed(std::ostream& out, const comparison_report& report) {
  for (const int side : {1, -1}) {
    std::vector<std::string> names;
    bool any_too_few = false;
    for (const auto& c : report.common) {
      if (c.unconfirmed_side == side) {
        names.push_back(c.name);
        any_too_few = any_too_few || c.test_cannot_reject;
      }
    }
    if (names.empty())
      continue;
    const std::string text = formatted(
        " whole interval lies %s %c%g%%, but the corrected U test does not reach "
        "alpha %g%s: %s the test does not confirm, not \"same\"; ",
        side > 0 ? "above" : "below", side > 0 ? '+' : '-', report.rule.threshold * 100,
        report.rule.alpha, any_too_few ? " (it cannot at this sample size)" : "",
        side > 0 ? "a slowdown" : "a speed-up");
    const std::string remedy = any_too_few ? std::to_string(report.values_needed) + "+ " +
                                                 report.value_unit + " a side can decide it.\n"
                                           : "more " + report.value_unit + " can decide it.\n";
    out << (names.size() == 1 ? "Inconclusive " + names.front() + ": its"
                              : std::to_string(names.size()) + " inconclusive benchmarks: each")
        << text << remedy;
  }
}

}  // namespace

void write_comparison(std::ostream& out, const comparison_report& report) {
  out << "Comparing " << report.base_file << " (old) to " << report.candidate_file << " (new)\n";
  write_differences(out, report);
  if (report.empty()) {
    out << "No benchmark is present in both files.\n";
  } else if (!report.common.empty()) {
    const bool normalized = report.normalized == normalization::floor;
    std::vector<std::vector<std::string>> rows = {
        {"Benchmark", normalized ? "Old (× floor)" : "Old", normalized ? "New (× floor)" : "New",
         "New/Old [95% CI]", "p (Holm)", "Verdict"}};
    for (const auto& c : report.common) {
      if (c.result == verdict::failed) {
        rows.push_back({c.name, "", "", "", "", c.failure});
      } else {
        rows.push_back({c.name, value_text(c.estimate.base_mean, report),
                        value_text(c.estimate.candidate_mean, report), row_ratio_text(c, report),
                        p_text(c.corrected_p), row_verdict_text(c, report)});
      }
    }
    write_aligned(out, rows);
  }
  auto list = [&](const char* which, const std::string& file,
                  const std::vector<std::string>& names) {
    if (names.empty())
      return;
    out << "Only in " << which << " (" << file << "), " << names.size() << ":\n";
    for (const auto& n : names)
      out << "  " << n << '\n';
  };
  write_latency_comparison(out, report);
  list("old", report.base_file, report.only_in_base);
  list("new", report.candidate_file, report.only_in_candidate);
  if (!report.not_normalized.empty()) {
    out << "Not compared (--normalize floor), " << report.not_normalized.size() << ":\n";
    for (const auto& u : report.not_normalized)
      out << "  " << u.name << ": " << u.reason << '\n';
  }
  const std::string alpha = formatted("%g", report.rule.alpha);
  if (!report.common.empty())
    out << "Method"
        << (report.metric == compare_metric::time
                ? std::string()
                : std::string(" (--metric ") + to_string(report.metric) + ")")
        << ": Old/New are means of the "
        << (report.value_unit == "rounds" ? std::string("round times (pytest-benchmark keeps no "
                                                        "repetitions: each round is one value)")
                                          : metric_values_text(report.metric))
        << (report.normalized == normalization::floor
                ? ", each divided by its own run's mean floor time of the same workload"
                : "")
        << "; two-sided Mann-Whitney U test over "
        << (report.metric == compare_metric::time && report.value_unit != "rounds"
                ? "repetition means"
                : "those values")
        << ", Holm-corrected across the " << report.tests
        << " benchmark(s) tested; 95% percentile bootstrap interval of New/Old ("
        << bootstrap_options{}.resamples << " resamples of the " << report.value_unit
        << ", fixed seed). " << verdict_text(verdict::slower, report.metric) << '/'
        << verdict_text(verdict::faster, report.metric) << ": corrected p < " << alpha
        << " and the whole interval beyond ±" << percent_text(report.rule.threshold)
        << "; same: the whole interval within ±" << percent_text(report.rule.threshold)
        << "; otherwise inconclusive.\n";
  const auto n = report.counts();
  out << "Verdicts:";
  const char* separator = " ";
  for (const verdict v :
       {verdict::slower, verdict::faster, verdict::same, verdict::inconclusive, verdict::failed}) {
    out << separator << n[v] << ' ' << verdict_text(v, report.metric);
    separator = ", ";
  }
  out << '\n';
  // As compare.py's "Results unreliable! 9+ repetitions recommended.": say
  // when no verdict was possible at all, rather than leave "inconclusive".
  std::vector<std::pair<std::string, std::vector<std::string>>> reasons;  // in first-seen order
  for (const auto& c : report.common) {
    if (c.why_inconclusive.empty() || c.result != verdict::inconclusive)
      continue;
    auto it = std::find_if(reasons.begin(), reasons.end(),
                           [&](const auto& r) { return r.first == c.why_inconclusive; });
    if (it == reasons.end())
      it = reasons.insert(reasons.end(), {c.why_inconclusive, {}});
    it->second.push_back(c.name);
  }
  for (const auto& [reason, names] : reasons) {
    out << "No verdict possible for "
        << (names.size() == 1 ? names.front() : std::to_string(names.size()) + " benchmarks")
        << ": " << reason << ".\n";
  }
  write_unconfirmed(out, report);
  write_deciding(out, report);
}

}  // namespace poolbench::report
