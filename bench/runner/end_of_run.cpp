#include "end_of_run.hpp"

#include <poolbench/report/load.hpp>
#include <poolbench/report/open_loop.hpp>
#include <poolbench/report/print_table.hpp>
#include <poolbench/report/provenance_line.hpp>
#include <poolbench/report/summary.hpp>

#include <unistd.h>

namespace poolbench::cli {

void print_end_of_run(std::ostream& out, const nlohmann::ordered_json& document,
                      const std::string& label) {
  if (const auto open = report::open_loop_points(document); !open.empty()) {
    report::print_open_loop_tables(out, open, std::nullopt, /*markdown=*/false);
    return;
  }
  const std::vector<report::result_file> files{report::result_from_document(document, label)};
  out << report::provenance_line(files.front(), report::terminal_width()) << "\n\n";
  report::show_options show;
  show.colour = isatty(STDOUT_FILENO) == 1;
  // One table per workload, so each compares strategies and pool sizes on
  // the same job (the article's 3-name table comes first).
  show.group_by = {"batch", "delay_ms", "keepalive"};
  show.baseline = "floor";  // each row reads as "x the least a client can do"
  report::print_table(out, files, show);
  // One screen of what the run says: per workload, the winner, the
  // runner-up and the margin with its interval, or a tie (computed).
  out << "\n";
  report::print_summary(out, files);
}

}  // namespace poolbench::cli
