#include "commands.hpp"

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>

namespace poolbench::report_cli {

std::vector<report::result_file> load_inputs(const std::vector<std::string>& paths) {
  auto files = report::load_result_files(paths);
  for (const auto& f : files) {
    // An empty run (a filter that matched nothing, a crash before the first
    // case) must not pass a gate or make an empty page.
    if (f.benchmarks.empty())
      throw report::input_error(f.path + ": no benchmarks: the \"benchmarks\" list is empty");
  }
  return files;
}

}  // namespace poolbench::report_cli
