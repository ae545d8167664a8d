#pragma once

#include <poolbench/report/input/result.hpp>
#include <poolbench/report/page/results_page.hpp>
#include <poolbench/report/stats_names.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::report {

// A trend over result files taken in order (one per commit, say): for each
// chosen benchmark, its mean per file with a bootstrap interval, and the
// verdict of `compare` against the previous file, so a regression is marked
// where it happened.

// The benchmarks chosen when no --benchmark is given: the article's workload
// with warm pools. When no benchmark matches, the first six names are taken.
inline constexpr const char* default_history_regex = "/warm/batch:3/";

struct history_point {
  std::string label;  // the file's git_revision context value, else its file name
  std::string file;
  bool present = false;  // the benchmark is in this file
  std::string error;     // it failed in this file
  double mean = 0;       // mean of the repetition means, seconds
  std::optional<interval> mean_interval;
  // Against the previous file (none for the first point, or when either is
  // absent): new/old with its interval, and compare's verdict, Holm-corrected
  // across every benchmark the two files share.
  std::optional<verdict> vs_previous;
  std::string ratio;  // "1.0123 [0.9981, 1.0270]"
};

struct benchmark_history {
  std::string name;
  std::vector<history_point> points;  // one per file, in the given order
};

// Throws usage_error for an invalid regular expression, or one that matches
// no benchmark.
[[nodiscard]] std::vector<benchmark_history> build_history(const std::vector<result_file>& files,
                                                           const std::string& benchmark_regex,
                                                           const decision_rule& rule = {});

struct history_options {
  std::filesystem::path out_dir = "history";  // README.md and charts/*.svg inside
  std::string benchmark_regex;                // "" = the default set
  decision_rule rule;
};

// The trend page (Markdown) first, then one SVG chart per benchmark.
[[nodiscard]] std::vector<generated_file> build_history_page(const std::vector<result_file>& files,
                                                             const history_options& options);

}  // namespace poolbench::report
