#include "end_of_run.hpp"

#include <poolbench/cli/terminal_width.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/tables/aligned_text.hpp>
#include <poolbench/report/tables/noise_line.hpp>
#include <poolbench/report/tables/print_table.hpp>

#include <poolbench/runner/second_stage.hpp>

#include <unistd.h>

namespace poolbench::cli {

void print_end_of_run(std::ostream& out, const nlohmann::ordered_json& document,
                      const std::string& label) {
  const std::vector<report::result_file> files{report::result_from_document(document, label)};
  // Every line fits the terminal (120 columns when it is unknown).
  const auto width = cli::terminal_width(report::fallback_width);
  if (const auto busy = report::busy_machine_line(files); !busy.empty()) {
    report::write_wrapped(out, busy, width, "", "  ");
    out << "\n";
  }
  report::show_options show;
  show.colour = isatty(STDOUT_FILENO) == 1;
  // One table per workload, so each compares strategies and pool sizes on
  // the same job (the article's 3-name table comes first).
  show.group_by = {"batch", "delay_ms", "keepalive"};
  show.baseline = "floor";  // each row reads as "x the least a client can do"
  // The same code path as `poolbench-report show`: the tables, then one
  // screen of what the run says (computed sentences, then per workload the
  // winner, the runner-up and the margin with its interval, or a tie).
  report::print_results(out, files, show);
  if (const auto s = document["context"].find("sequential"); s != document["context"].end()) {
    const auto repetitions = document["context"].value("repetitions", std::size_t{0});
    report::write_wrapped(out, runner::second_stage_line(*s, repetitions), width, "", "  ");
  }
}

}  // namespace poolbench::cli
