#include "end_of_run.hpp"

#include <poolbench/report/load.hpp>
#include <poolbench/report/noise_line.hpp>
#include <poolbench/report/print_table.hpp>
#include <poolbench/report/summary.hpp>

#include <poolbench/runner/second_stage.hpp>

#include <unistd.h>

namespace poolbench::cli {

void print_end_of_run(std::ostream& out, const nlohmann::ordered_json& document,
                      const std::string& label) {
  const std::vector<report::result_file> files{report::result_from_document(document, label)};
  if (const auto busy = report::busy_machine_line(files); !busy.empty())
    out << busy << "\n\n";
  report::show_options show;
  show.colour = isatty(STDOUT_FILENO) == 1;
  // One table per workload, so each compares strategies and pool sizes on
  // the same job (the article's 3-name table comes first).
  show.group_by = {"batch", "delay_ms", "keepalive"};
  show.baseline = "floor";  // each row reads as "x the least a client can do"
  // The same code path as `poolbench-report show`.
  report::print_results(out, files, show);
  // One screen of what the run says: per workload, the winner, the
  // runner-up and the margin with its interval, or a tie (computed).
  if (files.front().benchmarks.empty() || files.front().benchmarks.front().open_loop)
    return;
  out << "\n";
  report::print_summary(out, files);
  if (const auto s = document["context"].find("sequential"); s != document["context"].end())
    out << runner::second_stage_line(*s) << "\n";
}

}  // namespace poolbench::cli
