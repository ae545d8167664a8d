// pytest-benchmark's --benchmark-json output: stats in seconds, and the raw
// per-round `data` when it was kept (the default).

#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/input/loaders.hpp>

#include <cmath>
#include <limits>

namespace poolbench::report::detail {
namespace {

using json = nlohmann::ordered_json;

double stat(const json& stats, const char* key) {
  const auto it = stats.find(key);
  return it == stats.end() ? std::numeric_limits<double>::quiet_NaN() : number_or_nan(*it);
}

// Parameters and numeric or text extra_info become --group-by keys.
void add_params(const json& bench, std::map<std::string, std::string>& params) {
  if (const auto g = bench.find("group"); g != bench.end() && g->is_string()) {
    params["group"] = g->get<std::string>();
  }
  for (const char* key : {"params", "extra_info"}) {
    const auto it = bench.find(key);
    if (it == bench.end() || !it->is_object())
      continue;
    for (const auto& [k, v] : it->items()) {
      if (v.is_string()) {
        params[k] = v.get<std::string>();
      } else if (v.is_number() || v.is_boolean()) {
        params[k] = v.dump();
      }
    }
  }
}

// No `data` kept (--benchmark-disable-gc-like options or old files): take the
// summary pytest-benchmark computed, which uses the same definitions.
statistics summary_statistics(const json& s) {
  statistics r = unknown_statistics();
  r.min = stat(s, "min");
  r.max = stat(s, "max");
  r.mean = stat(s, "mean");
  r.stddev = stat(s, "stddev");
  r.median = stat(s, "median");
  r.q1 = stat(s, "q1");
  r.q3 = stat(s, "q3");
  r.iqr = stat(s, "iqr");
  r.ops = std::isfinite(stat(s, "ops")) ? stat(s, "ops") : (r.mean > 0 ? 1.0 / r.mean : r.ops);
  const double rounds = stat(s, "rounds");
  r.rounds = count_of(rounds);
  const double sd_out = stat(s, "stddev_outliers"), iqr_out = stat(s, "iqr_outliers");
  if (sd_out >= 0 && iqr_out >= 0 && sd_out <= 1e15 && iqr_out <= 1e15) {
    r.stddev_outliers = static_cast<long>(sd_out);
    r.iqr_outliers = static_cast<long>(iqr_out);
  }
  return r;
}

}  // namespace

result_file load_pytest_benchmark(const json& doc, const std::string& label) {
  result_file file;
  file.path = label;
  file.format = source_format::pytest_benchmark;
  if (const auto m = doc.find("machine_info"); m != doc.end() && m->is_object()) {
    for (const char* key : {"node", "host", "boot_id", "server_software", "cpu_idle",
                            "python_implementation", "python_version", "system", "release"}) {
      if (m->contains(key))
        file.context.emplace_back(key, (*m)[key]);
    }
    if (const auto cpu = m->find("cpu"); cpu != m->end() && cpu->is_object()) {
      // py-cpuinfo names the model brand_raw since 7.0, brand before.
      for (const char* key : {"brand_raw", "brand"}) {
        if (cpu->contains(key)) {
          file.context.emplace_back("cpu", (*cpu)[key]);
          break;
        }
      }
      if (cpu->contains("count"))
        file.context.emplace_back("cpu_count", (*cpu)["count"]);
    }
  }
  if (const auto c = doc.find("commit_info");
      c != doc.end() && c->is_object() && c->contains("id")) {
    file.context.emplace_back("git_revision", (*c)["id"]);
  }
  for (const char* key : {"datetime", "version"}) {
    if (doc.contains(key))
      file.context.emplace_back(key == std::string("version") ? "pytest_benchmark_version" : key,
                                doc[key]);
  }

  for (const auto& bench : doc["benchmarks"]) {
    if (!bench.is_object() || !bench.contains("name") || !bench["name"].is_string()) {
      throw input_error(label + ": not benchmark JSON: a \"benchmarks\" entry has no \"name\"");
    }
    const auto stats = bench.find("stats");
    if (stats == bench.end() || !stats->is_object()) {
      throw input_error(label + ": pytest-benchmark entry \"" + bench["name"].get<std::string>() +
                        "\" has no \"stats\" object");
    }
    benchmark_result r;
    r.name = bench["name"].get<std::string>();
    r.file = label;
    add_params(bench, r.params);
    if (const auto data = stats->find("data"); data != stats->end() && data->is_array()) {
      for (const auto& v : *data)
        r.samples.push_back(number_or_nan(v));
      r.kind = sample_kind::rounds;
      r.stats = compute_statistics(r.samples);
    } else {
      r.kind = sample_kind::summary;
      r.stats = summary_statistics(*stats);
    }
    file.benchmarks.push_back(std::move(r));
  }
  return file;
}

}  // namespace poolbench::report::detail
