#include "commands.hpp"

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>

#include <poolbench/results/strategy_traits.hpp>

namespace poolbench::report_cli {

namespace {

// Registers the strategy traits the files recorded for names this program
// does not know; true when it registered any.
bool register_recorded_strategies(const std::vector<report::result_file>& files) {
  bool added = false;
  for (const auto& f : files) {
    const auto* recorded = f.context_json("strategies");
    if (recorded == nullptr)
      continue;
    try {
      added = results::register_recorded_traits(*recorded) > 0 || added;
    } catch (const std::invalid_argument& e) {
      throw report::input_error(f.path + ": context: " + e.what());
    }
  }
  return added;
}

}  // namespace

std::vector<report::result_file> load_inputs(const std::vector<std::string>& paths) {
  auto files = report::load_result_files(paths);
  // Names and parameters were read as this program knows the strategies: a
  // strategy of another program was taken for a pool until its file said
  // what it is, so read the files again knowing it.
  if (register_recorded_strategies(files))
    files = report::load_result_files(paths);
  for (const auto& f : files) {
    // An empty run (a filter that matched nothing, a crash before the first
    // case) must not pass a gate or make an empty page.
    if (f.benchmarks.empty())
      throw report::input_error(f.path + ": no benchmarks: the \"benchmarks\" list is empty");
  }
  return files;
}

}  // namespace poolbench::report_cli
