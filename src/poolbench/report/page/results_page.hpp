#pragma once

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/input/recorded_rule.hpp>
#include <poolbench/report/input/result.hpp>
#include <poolbench/report/open_loop/open_loop.hpp>
#include <poolbench/report/stats_names.hpp>

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

// The results page (results/README.md) and its SVG charts, generated from
// committed result files. Deterministic: the same files give the same bytes,
// which is what `render --check` relies on.
struct page_options {
  std::filesystem::path out = "results/README.md";
  // One table and one chart per distinct combination of these parameters.
  std::vector<std::string> group_by = {"batch", "delay_ms", "keepalive"};
  std::string charts_dir = "charts";  // relative to the page's folder
  // The "What the results say" summary at the top: its equivalence margin
  // (a tie) and significance level when given (render --margin), over the
  // rule the files record (recorded_rule.hpp).
  rule_choice rule;
  // A strategy whose row is the (1.0) of each table's ratios ("" = the best).
  std::string baseline;
  // Open-loop runs (poolbench --rate) in the files get a section of latency
  // tables and p99-vs-rate charts with each pool's saturation point, under
  // this SLO (default: 10x the server delay, or 5 ms).
  std::optional<double> slo_s;
  // The cross matrix (scripts/reference/cross-matrix: C++ and Python clients
  // against poolbench-server and tornado), embedded as its own section after
  // the claims: the file's path (linked) and its Markdown. Empty: no section.
  std::string cross_matrix_file;
  std::string cross_matrix;
  // The project's README: when set, its answer block (readme_with_answer) is
  // generated too, as one more file after the charts.
  std::filesystem::path readme;
};

struct generated_file {
  std::filesystem::path path;  // where it belongs (the page, or a chart)
  std::string content;
};

// The page first, then every chart it links to. Closed-loop runs go to the
// tables by group, open-loop runs to their own section.
[[nodiscard]] std::vector<generated_file> build_results_page(const std::vector<result_file>& files,
                                                             const page_options& options);

// `path` as a page at `page` should link it: relative to the page's folder.
[[nodiscard]] std::string relative_to_page(const std::string& path,
                                           const std::filesystem::path& page);

// Text for a Markdown table cell: `|` escaped.
[[nodiscard]] std::string markdown_cell(std::string text);

// Why writing a page made from `files` to `page` would replace someone
// else's work: it exists and is not a page of poolbench-report, or its
// Sources name other files. "" when it is missing or made from these files.
[[nodiscard]] std::string overwrite_problem(const std::filesystem::path& page,
                                            const std::vector<result_file>& files);

// Writes every file (creating folders); throws std::runtime_error naming the
// path that could not be written.
void write_generated(const std::vector<generated_file>& files);

// The files whose content on disk differs from what was generated (or that
// are missing).
[[nodiscard]] std::vector<std::filesystem::path> stale_files(
    const std::vector<generated_file>& files);

// The results page's section for each experiment file (experiment.hpp): the
// backend it ran against, its computed sentences, a table of every case
// (round time, its ratio to a named reference, the ideal round and
// efficiency, rejections, attempts, the server's peak in flight, latency
// percentiles) and its charts against pool size. Nothing for files of the
// default backend.
void write_experiment_sections(std::ostream& page, std::vector<generated_file>& charts,
                               const std::vector<experiment_summary>& experiments,
                               const page_options& options);

// Under "What the results say": per experiment file its headline sentence,
// linked to its section. Nothing when there is none.
void write_experiment_headlines(std::ostream& page,
                                const std::vector<experiment_summary>& experiments);

// The results page's charts against workers: per workload family
// (workload_family.hpp) the time per round, the client CPU per request and
// the peak PSS, each a chart in `options.charts_dir` linked from `page`
// (a chart whose metric no case has is left out). Nothing when no family
// has a line to draw.
void write_workers_section(std::ostream& page, std::vector<generated_file>& charts,
                           const std::vector<result_file>& closed_loop_files,
                           const page_options& options);

// The README's answer block: the computed sentences of "What the results
// say" between two markers of the project's README, so the README leads
// with the answer and `render --check` keeps it current like the page.

inline constexpr std::string_view results_block_begin = "<!-- poolbench:results-summary:begin -->";
inline constexpr std::string_view results_block_end = "<!-- poolbench:results-summary:end -->";

// What goes between the markers: a line naming where it came from, the
// answer's sentences as a list, the other experiments' headlines as a list
// under a line of their own (so the answer reads as the answer), and a link
// to the page's claims. `sources` and `page` are paths as the README links
// them.
[[nodiscard]] std::string results_block(const std::vector<std::string>& sentences,
                                        const std::vector<std::string>& other_experiments,
                                        const std::vector<std::string>& sources,
                                        const std::string& page);

// `readme` with everything between the markers replaced by `block`. Throws
// input_error naming `name` when the markers are missing, repeated or out
// of order: render never guesses where the answer goes.
[[nodiscard]] std::string with_results_block(const std::string& readme, const std::string& block,
                                             const std::string& name);

// options.readme as it is on disk with its answer block made from `claims`
// (the sentences, the files they came from, a link to options.out), then,
// under a line of their own, one line per backend experiment of
// `experiments` (its title and its headline sentence) and the zoo's
// headline among `files`. Throws input_error when the README cannot be read
// or has no block.
[[nodiscard]] generated_file readme_with_answer(const page_options& options,
                                                const results_claims& claims,
                                                const std::vector<result_file>& files,
                                                const std::vector<experiment_summary>& experiments);

}  // namespace poolbench::report
