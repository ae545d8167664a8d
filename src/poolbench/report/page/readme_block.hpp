#pragma once
// The README's answer block: the computed sentences of "What the results
// say" between two markers of the project's README, so the README leads
// with the answer and `render --check` keeps it current like the page.

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/page/results_page.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

inline constexpr std::string_view results_block_begin = "<!-- poolbench:results-summary:begin -->";
inline constexpr std::string_view results_block_end = "<!-- poolbench:results-summary:end -->";

// What goes between the markers: a line naming where it came from, the
// sentences as a list, and a link to the page's claims. `sources` and
// `page` are paths as the README links them.
[[nodiscard]] std::string results_block(const std::vector<std::string>& sentences,
                                        const std::vector<std::string>& sources,
                                        const std::string& page);

// `readme` with everything between the markers replaced by `block`. Throws
// input_error naming `name` when the markers are missing, repeated or out
// of order: render never guesses where the answer goes.
[[nodiscard]] std::string with_results_block(const std::string& readme, const std::string& block,
                                             const std::string& name);

// options.readme as it is on disk with its answer block made from `claims`
// (the sentences, the files they came from, a link to options.out), then
// one line per backend experiment of `experiments` (its title and its
// headline sentence) and the zoo's headline among `files`. Throws input_error when the README
// cannot be read or has no block.
[[nodiscard]] generated_file readme_with_answer(const page_options& options,
                                                const results_claims& claims,
                                                const std::vector<result_file>& files,
                                                const std::vector<experiment_summary>& experiments);

}  // namespace poolbench::report
