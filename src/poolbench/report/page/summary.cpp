#include <poolbench/report/formatted.hpp>
#include <poolbench/report/page/summary.hpp>

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/claims/cost_claims.hpp>
#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/stats_names.hpp>
#include <poolbench/report/tables/aligned_text.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>

namespace poolbench::report {
namespace {

std::string number(double value) {
  return formatted("%g", value);
}

std::string percent(double fraction) {
  return number(fraction * 100) + "%";
}

std::string factor_text(const ratio_estimate& e) {
  return ratio_text(e, 2, "×");
}

// The repetitions a side a claim would need when its own are too few for
// the rule's U test ever to pass alpha/L after the Holm correction over
// `tests`; nullopt when they suffice (or there are none to judge).
std::optional<std::size_t> repetitions_short(const workload_claim& c, const results_claims& claims,
                                             std::size_t tests) {
  const std::size_t n1 = c.estimate.base_values, n2 = c.estimate.candidate_values;
  const double alpha = look_alpha(claims.sequential);
  const double m = static_cast<double>(std::max<std::size_t>(tests, 1));
  if (n1 == 0 || n2 == 0 || smallest_exact_p(n1, n2) * m < alpha)
    return std::nullopt;
  return repetitions_needed(alpha, std::max<std::size_t>(tests, 1));
}

// A claim's ratio with its interval, or "1.06 [needs 6+ a side]" when its
// repetitions are too few for the rule: an interval from 2 repetitions
// ([0.0024, 592.05]) is not a number to read.
std::string claim_ratio_text(const workload_claim& c, const results_claims& claims,
                             std::size_t tests) {
  const auto needed = repetitions_short(c, claims, tests);
  if (!needed)
    return ratio_text(c.estimate);
  auto e = c.estimate;
  e.ratio_interval.reset();
  auto text = ratio_text(e);
  if (const auto at = text.find("[n/a]"); at != std::string::npos)
    text.replace(at, 5, "[needs " + std::to_string(*needed) + "+ a side]");
  return text;
}

// Whether another claim of `all` has the same workload from another file
// (render or show over several runs).
bool shared_with_another_file(const workload_claim& c,
                              const std::vector<const workload_claim*>& all) {
  return std::any_of(all.begin(), all.end(), [&](const workload_claim* o) {
    return o->key == c.key && o->source != c.source;
  });
}

// A claim's workload, with " (<file stem>)" when it is shared with another file.
std::string workload_cell(const workload_claim& c, const std::vector<const workload_claim*>& all) {
  if (!shared_with_another_file(c, all))
    return workload_text(c.key);
  return workload_text(c.key) + " (" + std::filesystem::path(c.source).stem().string() + ")";
}

// "98.3%": the confidence of every claim's interval, at the looks of the
// rule compute_claims() decided with (the file's, recorded_rule.hpp).
std::string confidence_text(const results_claims& claims) {
  return formatted("%.1f%%", look_confidence(claims.sequential) * 100);
}

std::string later_looks_text(const sequential_settings& s) {
  if (s.later_looks.empty())
    return ", and no later one (the rule allows none)";
  std::string totals;
  for (const auto t : s.later_looks)
    totals += (totals.empty() ? "" : " or ") + std::to_string(t);
  return ", and a later one at " + totals +
         " for a workload the runner extended because it was still inconclusive";
}

std::string how_text(const results_claims& claims) {
  const auto& s = claims.sequential;
  return "Pairing: strategies are compared only within one workload (same batch, delay_ms, "
         "keepalive, mode - warm vs warm, cold vs cold - and workers). Each benchmark's value is "
         "the mean of its repetition means. Claims follow the sequential rule of "
         "docs/sized-repetitions.md: a first look at " +
         std::to_string(s.first_look) + " repetitions a side" + later_looks_text(s) +
         " (rule: " + claims.rule_origin +
         "); the error "
         "rate alpha = " +
         number(claims.rule.alpha) + " is split over the L = " + std::to_string(look_count(s)) +
         " allowed looks. The ratio runner-up / fastest has a Welch t interval at 1 - alpha/L = " +
         confidence_text(claims) +
         ". A workload is a **tie** when the whole interval lies within 1 ± " +
         percent(claims.rule.threshold) +
         " (the equivalence margin of `poolbench-report compare`); the fastest **wins** when the "
         "whole interval lies above 1 + " +
         percent(claims.rule.threshold) +
         " and the two-sided Mann-Whitney U test over repetition means, Holm-corrected across "
         "the " +
         std::to_string(claims.tests) + " workloads, gives p < alpha/L = " + number(look_alpha(s)) +
         "; otherwise it is **inconclusive**. A claim on a workload the runner extended says so "
         "(\"extended to 27 a side\": repetitions of each of the two pools), one it left at the "
         "first look says why. An inconclusive claim whose interval "
         "crosses the margin says how many repetitions of each pool would decide it, a win or a "
         "tie, if the spread stayed as measured (the runner itself stops at " +
         std::to_string(cap_of(s)) +
         "): a few tens mean a longer run would settle it; hundreds or more mean the lead is too "
         "close to the margin for any practical run to settle, and the answer is that the two "
         "pools are that close.";
}

std::vector<const workload_claim*> in_reading_order(const std::vector<workload_claim>& claims) {
  std::vector<const workload_claim*> out;
  for (const auto& c : claims)
    out.push_back(&c);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return reads_before(a->key, b->key); });
  return out;
}

std::vector<const workload_claim*> of_metric(const results_claims& claims, cost_metric metric) {
  std::vector<const workload_claim*> out;
  for (const auto& c : claims.costs) {
    if (c.metric == metric)
      out.push_back(&c.claim);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return reads_before(a->key, b->key); });
  return out;
}

const char* cost_title(cost_metric metric) {
  return metric == cost_metric::cpu ? "Cheapest client CPU per request" : "Least memory";
}

std::string cost_what(const results_claims& claims, cost_metric metric) {
  if (metric == cost_metric::cpu)
    return "`client_cpu_us_per_request`: CPU of poolbench and its worker processes over the "
           "timed rounds, per request";
  if (claims.memory_counter == "pool_pss_mib")
    return "`pool_pss_mib`: the pool's own memory, the peak private and shared PSS of poolbench "
           "and its live workers during the timed rounds less poolbench's own just before the "
           "pool was built";
  return "`peak_pss_mib` (these files have no `pool_pss_mib`): peak proportional set size of "
         "the whole process, poolbench and its live workers, during the timed rounds; it grows "
         "over a run whatever ran in it";
}

// Small pools' own memory has no meaningful ratio (cost_claims.hpp).
std::string memory_tie_text() {
  return formatted(
      "; a pair also ties, whatever the ratio, when the Welch t interval of the difference lies "
      "within ±%g MiB",
      memory_tie_mib);
}

std::string with_bound(std::string text, const workload_claim& c) {
  if (const auto note = bound_note(c); !note.empty())
    text += "; " + note;
  return text;
}

std::string value_text(double v) {
  return formatted(v >= 100 ? "%.0f" : "%.1f", v);
}

// The Markdown table of `rows`: time claims (`unit` null), or cost claims
// with the cheapest's mean in `unit` as a column.
void write_claim_table(std::ostream& out, const std::vector<const workload_claim*>& rows,
                       const results_claims& claims, std::size_t tests, const char* unit) {
  const std::string best = unit ? "cheapest" : "fastest";
  out << "| workload | " << best << (unit ? std::string(" | ") + unit : "") << " | runner-up | "
      << "runner-up / " << best << " [" << confidence_text(claims) << " CI] | claim |\n"
      << "| :--- | :--- | " << (unit ? "---: | " : "") << ":--- | ---: | :--- |\n";
  for (const auto* c : rows) {
    out << "| " << workload_cell(*c, rows) << " | " << c->fastest << " | ";
    if (unit)
      out << value_text(c->estimate.base_mean) << " | ";
    out << c->runner_up << " | " << claim_ratio_text(*c, claims, tests) << " | "
        << with_bound(claim_text(*c, claims.rule), *c) << " |\n";
  }
  out << '\n';
}

void write_cost_markdown(std::ostream& out, const results_claims& claims, cost_metric metric) {
  const auto rows = of_metric(claims, metric);
  if (rows.empty())
    return;
  out << "### " << cost_title(metric) << "\n\n"
      << "From " << cost_what(claims, metric)
      << ": the strategy with the lowest mean over repetitions against the runner-up, decided "
         "by the time claims' sequential rule at the same looks (each repetition one value, "
         "the Welch t interval of runner-up / cheapest at 1 - alpha/L = "
      << confidence_text(claims) << ", the U test Holm-corrected across these " << rows.size()
      << " workloads)" << (metric == cost_metric::memory ? memory_tie_text() : std::string())
      << ".\n\n";
  write_claim_table(out, rows, claims, rows.size(), unit_of(metric));
}

// The terminal's claim cell: the verdict alone (the ratio is a column).
std::string short_claim(const workload_claim& c, const decision_rule& rule) {
  std::string text;
  switch (c.result) {
    case fastest_wins:
      text = "wins";
      break;
    case verdict::same:
      text = "tie";
      break;
    default:
      text = !c.estimate.ratio_interval ? "inconclusive (n<2)"
             : c.estimate.ratio_interval->low > 1 + rule.threshold
                 ? "inconclusive (Holm)"
                 : "inconclusive (±" + percent(rule.threshold) + ")";
  }
  if (server_side_bound(c.fastest_bound) || server_side_bound(c.runner_up_bound))
    text += "; server-bound";
  for (const auto& [who, b] :
       {std::pair{c.fastest, c.fastest_bound}, std::pair{c.runner_up, c.runner_up_bound}}) {
    if (client_side_bound(b))
      text += "; client-bound " + who;
  }
  if (wakeup_side_bound(c.fastest_bound) || wakeup_side_bound(c.runner_up_bound))
    text += "; wake-up-bound";
  return text;
}

void print_claim_rows(std::ostream& out, const std::vector<const workload_claim*>& claims,
                      const results_claims& all, std::size_t tests, const char* value_header,
                      std::size_t width) {
  const auto& rule = all.rule;
  // Several runs of one workload (show over several files): a file column.
  const bool by_file = std::any_of(claims.begin(), claims.end(), [&](const workload_claim* c) {
    return shared_with_another_file(*c, claims);
  });
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"batch", "delay_ms", "keepalive", "workers", "mode"};
  if (by_file)
    header.push_back("file");
  header.push_back("best");
  if (value_header)
    header.push_back(value_header);
  for (const char* h : {"runner-up", "ratio [CI]", "claim"})
    header.push_back(h);
  rows.push_back(header);
  for (const auto* c : claims) {
    const auto& k = c->key;
    const auto or_dash = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
    std::vector<std::string> row = {or_dash(k.batch), or_dash(k.delay_ms), k.keep_alive ? "1" : "0",
                                    or_dash(k.workers),
                                    k.mode ? std::string(results::to_string(*k.mode)) : "-"};
    if (by_file)
      row.push_back(std::filesystem::path(c->source).stem().string());
    row.push_back(c->fastest);
    if (value_header)
      row.push_back(value_text(c->estimate.base_mean));
    row.push_back(c->runner_up);
    row.push_back(claim_ratio_text(*c, all, tests));
    const auto needed = repetitions_short(*c, all, tests);
    row.push_back(needed && c->result == verdict::inconclusive
                      ? "inconclusive (n<" + std::to_string(*needed) + ")"
                      : short_claim(*c, rule));
    rows.push_back(std::move(row));
  }
  if (aligned_fits(rows, "  ", width)) {
    write_aligned(out, rows, "  ", width);
    return;
  }
  // Too narrow for the columns: one wrapped line per claim, each cell named.
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t i = 0; i < rows[r].size(); ++i)
      line += (i == 0 ? "" : ", ") + rows[0][i] + " " + rows[r][i];
    write_wrapped(out, line, width, "  ", "    ");
  }
}

}  // namespace

void write_claims_markdown(std::ostream& out, const results_claims& claims) {
  out << "## What the results say\n\n";
  for (const auto& sentence : answer_sentences(claims))
    out << "- " << sentence << '\n';
  if (!claims.workloads.empty())
    out << '\n';
  out << "Computed by `poolbench-report render` from the result files below, never typed. "
      << how_text(claims)
      << " A claim whose side was server-bound or client-bound (that side's CPU busy for 90% or "
         "more of the run) says "
         "so: that side, not the pools, was measured; so does one that was wake-up-bound (20 or "
         "fewer of the machine's wake-up round trips per request: the machine's scheduler was "
         "measured).\n\n";
  if (claims.workloads.empty()) {
    out << "No workload was run by two strategies.\n\n";
  } else {
    out << "### Time per round\n\n";
    write_claim_table(out, in_reading_order(claims.workloads), claims, claims.tests, nullptr);
  }
  for (const auto metric : {cost_metric::cpu, cost_metric::memory})
    write_cost_markdown(out, claims, metric);
  // The C++/Python factors, and the run-order check below, are sections of
  // their own: under the memory table's heading a reader took them for
  // memory figures.
  if (!claims.languages.empty() || !claims.not_comparable.empty() ||
      !claims.unmatched_python.empty())
    out << "### C++ against Python\n\n";
  if (!claims.languages.empty()) {
    out << "C++ against Python (pytest-benchmark file), same strategy, mode, batch, workers and "
           "delay: Python mean / C++ mean, 95% bootstrap interval (Python's rounds are its only "
           "unit: pytest-benchmark has no repetitions).\n\n"
        << "| workload | Python | C++ | Python / C++ [95% CI] |\n| :--- | :--- | :--- | ---: |\n";
    for (const auto& c : claims.languages) {
      out << "| " << c.workload << " | `" << c.python << "` | `" << c.cpp << "` | "
          << factor_text(c.estimate) << " |\n";
    }
    out << '\n';
  }
  for (const auto& line : claims.not_comparable)
    out << line << "\n\n";
  if (!claims.unmatched_python.empty()) {
    out << "Python benchmarks with no C++ run of the same strategy, mode and workers (no factor "
           "given):";
    for (const auto& n : claims.unmatched_python)
      out << " `" << n << "`";
    out << ".\n\n";
  }
  if (!claims.failed.empty() || !claims.order.empty())
    out << "### "
        << (claims.failed.empty()  ? "Drift over the run"
            : claims.order.empty() ? "Failures"
                                   : "Failures and drift over the run")
        << "\n\n";
  if (!claims.failed.empty()) {
    out << "Left out because a repetition failed:";
    for (const auto& n : claims.failed)
      out << " `" << n << "`";
    out << ".\n\n";
  }
  if (!claims.order.empty())
    out << claims.order << ".\n\n";
}

void print_summary(std::ostream& out, const results_claims& claims, std::size_t width) {
  write_wrapped(out,
                "What the results say (same workload, warm vs warm, cold vs cold, same workers; "
                "tie = " +
                    confidence_text(claims) + " interval within ±" +
                    percent(claims.rule.threshold) + "):",
                width, "", "  ");
  if (claims.workloads.empty()) {
    out << "  no workload was run by two strategies\n";
  } else {
    for (const auto& sentence : answer_sentences(claims))
      write_wrapped(out, sentence, width, "  - ", "    ");
    out << "\n";
    write_wrapped(out,
                  "Time per round: best = fastest; ratio = runner-up / fastest [" +
                      confidence_text(claims) + " CI].",
                  width, "", "  ");
    print_claim_rows(out, in_reading_order(claims.workloads), claims, claims.tests, nullptr, width);
  }
  for (const auto metric : {cost_metric::cpu, cost_metric::memory}) {
    const auto rows = of_metric(claims, metric);
    if (rows.empty())
      continue;
    out << "\n";
    write_wrapped(out,
                  std::string(cost_title(metric)) + " (" + counter_of(claims, metric) +
                      "): best = cheapest, its mean in " + unit_of(metric) +
                      "; ratio = runner-up / cheapest [" + confidence_text(claims) + " CI].",
                  width, "", "  ");
    print_claim_rows(out, rows, claims, rows.size(), metric == cost_metric::cpu ? "µs/req" : "MiB",
                     width);
  }
  if (!claims.workloads.empty()) {
    write_wrapped(out,
                  "inconclusive (±" + percent(claims.rule.threshold) +
                      "): the interval crosses the margin; (Holm): not significant after the Holm "
                      "correction; (n<N): too few repetitions for the rule to decide, N a side "
                      "needed. A bound "
                      "side (busy share >= 0.9) "
                      "was measured, not the pools; wake-up-bound: at most 20 of the machine's "
                      "wake-up round trips per request, its scheduler was measured.",
                  width, "  ", "    ");
  }
  for (const auto& c : claims.languages) {
    write_wrapped(out, "Python/C++ " + c.workload + ": " + factor_text(c.estimate), width, "  ",
                  "    ");
  }
  for (const auto& line : claims.not_comparable)
    write_wrapped(out, line, width, "", "  ");
  for (const auto& n : claims.failed)
    write_wrapped(out, "left out, failed: " + n, width, "  ", "    ");
  if (!claims.order.empty())
    write_wrapped(out, claims.order, width, "", "  ");
}

}  // namespace poolbench::report
