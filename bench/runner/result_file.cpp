#include "result_file.hpp"

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace poolbench::runner {
namespace {

double seconds_to(const std::string& unit) {
  if (unit == "ns")
    return 1e9;
  if (unit == "us")
    return 1e6;
  if (unit == "ms")
    return 1e3;
  if (unit == "s")
    return 1.0;
  throw std::runtime_error("unknown time_unit '" + unit + "'");
}

// Rounded to a nanosecond: more digits are noise and only grow the file.
double round_to_ns(double value, double per_second) {
  const double ns_per_unit = 1e9 / per_second;
  return std::round(value * ns_per_unit) / ns_per_unit;
}

// Google Benchmark writes NaN and inf as bare words (e.g. the "cv" aggregate
// of a counter whose mean is 0), which is not JSON. They become null here
// and are then dropped from their run: an absent value, not a fake number.
std::string without_non_finite(const std::string& text) {
  static const std::regex bare(R"((:\s*)-?(NaN|nan|inf|Infinity)\b)");
  return std::regex_replace(text, bare, "$1null");
}

void drop_nulls(nlohmann::ordered_json& run) {
  for (auto it = run.begin(); it != run.end();) {
    it = it->is_null() ? run.erase(it) : std::next(it);
  }
}

}  // namespace

std::string clean_benchmark_name(const std::string& name) {
  static const std::regex suffix(R"((/iterations:\d+)?(/repeats:\d+)?(/manual_time)?$)");
  return std::regex_replace(name, suffix, "");
}

void finish_result_file(const std::string& path,
                        const std::map<std::string, std::vector<std::vector<double>>>& samples,
                        nlohmann::ordered_json context, std::size_t max_samples_per_run) {
  nlohmann::ordered_json doc;
  {
    std::ifstream in(path);
    if (!in)
      throw std::runtime_error(path + ": cannot read the benchmark output");
    std::stringstream text;
    text << in.rdbuf();
    try {
      doc = nlohmann::ordered_json::parse(without_non_finite(text.str()));
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(path + ": not JSON: " + e.what());
    }
  }
  if (!doc.contains("benchmarks") || !doc["benchmarks"].is_array()) {
    throw std::runtime_error(path + ": no 'benchmarks' array");
  }
  bool thinned = false;
  for (auto& run : doc["benchmarks"]) {
    drop_nulls(run);
    const std::string run_name = clean_benchmark_name(run.value("run_name", run.value("name", "")));
    run["run_name"] = run_name;
    const bool aggregate = run.value("run_type", "") == "aggregate";
    run["name"] = aggregate ? run_name + "_" + run.value("aggregate_name", "") : run_name;
    if (aggregate || run.value("error_occurred", false))
      continue;
    const auto found = samples.find(run_name);
    const auto repetition = run.value("repetition_index", std::int64_t{0});
    if (found == samples.end() || repetition < 0 ||
        static_cast<std::size_t>(repetition) >= found->second.size()) {
      continue;
    }
    const auto& rounds = found->second[static_cast<std::size_t>(repetition)];
    const double scale = seconds_to(run.value("time_unit", "ns"));
    std::vector<double> kept;
    const std::size_t n = rounds.size();
    const std::size_t keep = std::min(n, max_samples_per_run);
    thinned = thinned || keep < n;
    kept.reserve(keep);
    for (std::size_t i = 0; i < keep; ++i) {
      kept.push_back(round_to_ns(rounds[i * n / keep] * scale, scale));
    }
    run["samples"] = kept;
  }
  context["samples_note"] =
      thinned ? "samples: per-round wall times in each run's time_unit; runs with more than " +
                    std::to_string(max_samples_per_run) + " rounds keep " +
                    std::to_string(max_samples_per_run) +
                    " evenly spaced rounds (the counters use every round)"
              : std::string("samples: every round of every repetition, in each run's time_unit");
  for (auto& [key, value] : context.items())
    doc["context"][key] = value;

  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << doc.dump(2) << "\n";
    if (!out)
      throw std::runtime_error(tmp + ": cannot write");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    throw std::runtime_error(path + ": cannot replace with the finished file");
  }
}

}  // namespace poolbench::runner
