#include "commands.hpp"

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>

#include <poolbench/results/strategy_traits.hpp>

namespace poolbench::report_cli {

namespace {

// Registers the strategy traits a file recorded for names this program does
// not know.
void register_recorded_strategies(const nlohmann::ordered_json& doc, const std::string& path) {
  const auto* recorded = report::recorded_strategies(doc);
  if (recorded == nullptr)
    return;
  try {
    (void)results::register_recorded_traits(*recorded);
  } catch (const std::invalid_argument& e) {
    throw report::input_error(path + ": context: " + e.what());
  }
}

}  // namespace

std::vector<report::result_file> load_inputs(const std::vector<std::string>& paths) {
  // Each file is read and parsed once. Names and parameters are read as this
  // program knows the strategies: every file's recorded strategies are
  // registered first, so a strategy of another program is never taken for a
  // pool.
  std::vector<nlohmann::ordered_json> docs;
  docs.reserve(paths.size());
  for (const auto& p : paths)
    docs.push_back(report::read_result_document(p));
  for (std::size_t i = 0; i < paths.size(); ++i)
    register_recorded_strategies(docs[i], paths[i]);
  std::vector<report::result_file> files;
  files.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    files.push_back(report::result_from_document(docs[i], paths[i]));
    docs[i] = nullptr;  // read: its memory is not needed any more
  }
  for (const auto& f : files) {
    // An empty run (a filter that matched nothing, a crash before the first
    // case) must not pass a gate or make an empty page.
    if (f.benchmarks.empty())
      throw report::input_error(f.path + ": no benchmarks: the \"benchmarks\" list is empty");
  }
  return files;
}

}  // namespace poolbench::report_cli
