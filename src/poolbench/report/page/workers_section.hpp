#pragma once

#include <poolbench/report/input/result.hpp>
#include <poolbench/report/page/results_page.hpp>

#include <ostream>
#include <vector>

namespace poolbench::report {

// The results page's charts against workers: per workload family
// (workload_family.hpp) the time per round, the client CPU per request and
// the peak PSS, each a chart in `options.charts_dir` linked from `page`
// (a chart whose metric no case has is left out). Nothing when no family
// has a line to draw.
void write_workers_section(std::ostream& page, std::vector<generated_file>& charts,
                           const std::vector<result_file>& closed_loop_files,
                           const page_options& options);

}  // namespace poolbench::report
