#include "commands.hpp"

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/open_loop/merge_open_loop.hpp>

#include <poolbench/results/benchmark_json.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace poolbench::report_cli {

namespace fs = std::filesystem;
namespace report = poolbench::report;

namespace {

nlohmann::ordered_json read_document(const std::string& path) {
  // The loader first: every reader's checks and messages (empty, binary,
  // truncated, not benchmark JSON), then the document as it is.
  (void)report::load_result_file(path);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return nlohmann::ordered_json::parse(results::without_non_finite_literals(text.str()));
}

// Beside the destination, then renamed over it: a reader (or a crash) never
// sees half a file.
void write_atomically(const fs::path& out, const std::string& text) {
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const fs::path scratch =
      dir / ("." + out.filename().string() + ".tmp" + std::to_string(::getpid()));
  {
    std::ofstream file(scratch, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      const std::string why = std::strerror(errno);
      std::error_code ignored;
      fs::remove(scratch, ignored);
      throw std::runtime_error(out.string() + ": cannot write: " + why);
    }
  }
  std::error_code ec;
  fs::rename(scratch, out, ec);
  if (ec) {
    fs::remove(scratch, ec);
    throw std::runtime_error(out.string() + ": cannot write: " + ec.message());
  }
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

}  // namespace

command add_merge(CLI::App& app) {
  struct settings {
    std::string out;
    std::vector<std::string> files;
  };
  auto s = std::make_shared<settings>();
  auto* cmd = app.add_subcommand(
      "merge",
      "Merge open-loop results of one workload run on several client hosts at once (the same "
      "poolbench --rate command on each): histograms, rates, requests and incompletes add, "
      "percentiles are recomputed from the merged histogram, each part's context is kept. "
      "Mismatched workloads, schedules or histograms are refused (see docs/multi-host.md)");
  cmd->add_option("out", s->out, "The merged result file to write (atomically)")->required();
  cmd->add_option("files", s->files, "Result files, one per host (two or more)")->required();
  return [cmd, s] {
    if (!*cmd)
      return -1;
    if (s->files.size() < 2)
      throw report::usage_error("merge needs two or more result files after OUT, got " +
                                std::to_string(s->files.size()));
    std::vector<report::merge_part> parts;
    for (const auto& file : s->files) {
      if (same_file(file, s->out))
        throw report::usage_error(s->out +
                                  ": is also an input; merge writes OUT, the first "
                                  "argument, and reads the rest");
      for (const auto& part : parts) {
        if (same_file(part.label, file))
          throw report::usage_error(file + ": given twice; each host's file is added once");
      }
      parts.push_back({file, read_document(file)});
    }
    const auto merged = report::merge_open_loop(parts);
    write_atomically(s->out, merged.dump(2) + "\n");
    std::cerr << "poolbench-report: wrote " << s->out << ": " << merged["benchmarks"].size()
              << " open-loop run(s) merged from " << parts.size() << " hosts\n";
    return 0;
  };
}

}  // namespace poolbench::report_cli
