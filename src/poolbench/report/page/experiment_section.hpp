#pragma once

#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/page/results_page.hpp>

#include <ostream>
#include <vector>

namespace poolbench::report {

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

}  // namespace poolbench::report
