#include <poolbench/report/compare/compare.hpp>

#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/stats_names.hpp>

#include <cmath>
#include <numeric>
#include <optional>

namespace poolbench::report {
namespace {

bool is_floor(const benchmark_result& b) {
  return b.workload && b.workload->strategy == results::strategy::floor;
}

// The floor of `b`'s workload in `file`: the same batch, delay and
// connection kind (the floor has no workers and no pool mode).
const benchmark_result* floor_of(const benchmark_result& b, const result_file& file) {
  for (const auto& f : file.benchmarks) {
    if (is_floor(f) && !f.open_loop && f.workload->batch == b.workload->batch &&
        f.workload->delay_ms == b.workload->delay_ms &&
        f.workload->connection == b.workload->connection)
      return &f;
  }
  return nullptr;
}

std::optional<double> mean_time(const benchmark_result& b) {
  const auto values = inference_values(b);
  if (values.empty())
    return std::nullopt;
  const double mean =
      std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  if (!(mean > 0) || !std::isfinite(mean))
    return std::nullopt;
  return mean;
}

}  // namespace

floor_normalized normalize_by_floor(const result_file& file) {
  floor_normalized out;
  out.file.path = file.path;
  out.file.format = file.format;
  out.file.context = file.context;
  for (const auto& b : file.benchmarks) {
    if (is_floor(b)) {
      out.skipped.push_back({b.name, "a floor: the yardstick, 1 by definition"});
      continue;
    }
    if (!b.workload || b.open_loop) {
      out.skipped.push_back({b.name, b.open_loop ? "an open-loop run (compared on latency only)"
                                                 : "not a poolbench workload: no floor"});
      continue;
    }
    const auto* floor = floor_of(b, file);
    if (!floor) {
      out.skipped.push_back({b.name, "no floor of its workload in " + file.path});
      continue;
    }
    if (b.failed()) {
      out.file.benchmarks.push_back(b);
      continue;
    }
    const auto yardstick = floor->failed() ? std::nullopt : mean_time(*floor);
    if (!yardstick) {
      out.skipped.push_back({b.name, "its floor " + floor->name + " has no time in " + file.path +
                                         (floor->failed() ? " (failed)" : "")});
      continue;
    }
    auto scaled = b;
    for (auto* values : {&scaled.repetition_means, &scaled.samples}) {
      for (auto& v : *values)
        v /= *yardstick;
    }
    if (!scaled.samples.empty())
      scaled.stats = compute_statistics(scaled.samples);
    out.file.benchmarks.push_back(std::move(scaled));
  }
  return out;
}

}  // namespace poolbench::report
