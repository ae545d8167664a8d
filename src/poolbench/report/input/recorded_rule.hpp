#pragma once

#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <optional>
#include <string>
#include <vector>

namespace poolbench::report {

// The rule a file's claims are decided by is the one its runner used for
// the second stage (context.sequential.settings, docs/result-format.md):
// its looks and its alpha split are what the repetitions were planned for,
// so judging them by another rule would take looks the runner never took.

// What the user chose on the command line, each value over the file's.
struct rule_choice {
  std::optional<double> alpha;
  // The equivalence margin, decision_rule::threshold (the flag --fail-above
  // or --margin, the file's "margin").
  std::optional<double> threshold;
  rule_choice() = default;
  // A whole decision_rule is an explicit choice of both.
  rule_choice(const decision_rule& rule)  // NOLINT(google-explicit-constructor)
      : alpha(rule.alpha), threshold(rule.threshold) {}
};

// context.sequential.settings of `file`, or nullopt when the file has no
// "sequential" record (files from before the second stage, plain Google
// Benchmark files, open-loop runs). Throws input_error naming the file when
// the record is there but not a valid rule (wrong types, alpha outside
// (0, 1), totals not ascending above first_look, ...).
[[nodiscard]] std::optional<sequential_settings> recorded_sequential_settings(
    const result_file& file);

struct claims_rule {
  sequential_settings settings;
  // Where it came from, for the page: "recorded in results/latest.json",
  // "the defaults, no file records one", plus what the command line
  // replaced, e.g. "; margin 2% as given".
  std::string origin;
};

// The rule for claims over `files`: the one the files record (every file
// that records one must record the same: else input_error naming two that
// differ), else the defaults; then `given` replaces alpha and the margin.
// The looks always come from the files: a flag cannot add looks the runner
// never took.
[[nodiscard]] claims_rule claims_rule_of(const std::vector<result_file>& files,
                                         const rule_choice& given = {});

}  // namespace poolbench::report
