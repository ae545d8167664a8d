#pragma once
// The executor zoo's part of the results page (zoo.hpp says what a zoo file is).

#include <poolbench/report/input/result.hpp>
#include <poolbench/report/page/results_page.hpp>

#include <ostream>
#include <string_view>
#include <vector>

namespace poolbench::report {

inline constexpr std::string_view zoo_heading =
    "The executor zoo: every registered strategy on the same workloads";

// How a zoo file's cases are read, wherever they are shown (the page, `show`):
// "Its cases are " + this.
inline constexpr std::string_view zoo_comparison =
    "compared with each other, never with another file's rows; the floor is the measuring "
    "stick, never ranked.";

// Under "What the results say": each zoo file's headline, linked to its
// section. Nothing when there is none.
void write_zoo_headline(std::ostream& page, const std::vector<result_file>& files);

// Per zoo file a section: where it came from and its strategies, the
// computed sentences (zoo_sentences), its time claims per workload (the
// file's own, decided by the rule it records), per workload the time and
// cost tables, and per workload family the time, client CPU and memory
// charts against workers (files `<file stem>-workers-<family>.svg` and so
// on, so they never clash with the default run's). Nothing without one.
void write_zoo_sections(std::ostream& page, std::vector<generated_file>& charts,
                        const std::vector<result_file>& files, const page_options& options);

}  // namespace poolbench::report
