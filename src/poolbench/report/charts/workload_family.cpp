// Which cases a chart against workers can join (see workload_family.hpp).

#include <poolbench/report/charts/workload_family.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/charts/chart_parts.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

namespace poolbench::report {
namespace {

std::optional<double> number_param(const benchmark_result& r, const char* key) {
  const auto it = r.params.find(key);
  if (it == r.params.end())
    return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0' || !std::isfinite(v) || v < 0)
    return std::nullopt;
  return v;
}

std::string number_text(double v) {
  return formatted("%g", v);
}

}  // namespace

std::optional<double> workers_of(const benchmark_result& r) {
  const auto w = number_param(r, "workers");
  return w && *w > 0 ? w : std::nullopt;
}

std::optional<double> ideal_round_s(const benchmark_result& r) {
  const auto batch = number_param(r, "batch"), delay = number_param(r, "delay_ms");
  const auto workers = workers_of(r);
  if (!batch || !delay || !workers || !(*delay > 0))
    return std::nullopt;
  return std::ceil(*batch / *workers) * *delay / 1000;
}

std::vector<workload_family> workload_families(const std::vector<benchmark_result>& rows) {
  // delay → batch → (worker counts, rows); floors apart, by (delay, batch).
  struct cases {
    std::set<double> workers;
    std::vector<std::size_t> rows;
  };
  std::map<double, std::map<double, cases>> by_delay;
  std::map<std::pair<double, double>, std::vector<std::size_t>> floors;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto batch = number_param(rows[i], "batch");
    const auto delay = number_param(rows[i], "delay_ms");
    if (!batch || !delay)
      continue;
    if (is_floor(rows[i])) {
      floors[{*delay, *batch}].push_back(i);
    } else if (const auto w = workers_of(rows[i])) {
      auto& c = by_delay[*delay][*batch];
      c.workers.insert(*w);
      c.rows.push_back(i);
    }
  }
  std::vector<workload_family> out;
  for (const auto& [delay, batches] : by_delay) {
    const std::string delay_title = ", delay " + number_text(delay) + " ms";
    const std::string delay_slug = "_delay_ms-" + number_text(delay);
    // A batch at one pool size only may be part of a sweep: batch / workers
    // shared by cases at several sizes.
    std::map<double, cases> sweeps;
    for (const auto& [batch, c] : batches) {
      if (c.workers.size() > 1) {
        workload_family f{"batch " + number_text(batch) + delay_title,
                          "batch-" + number_text(batch) + delay_slug, std::nullopt, c.rows};
        if (const auto it = floors.find({delay, batch}); it != floors.end())
          f.rows.insert(f.rows.end(), it->second.begin(), it->second.end());
        std::sort(f.rows.begin(), f.rows.end());
        out.push_back(std::move(f));
        continue;
      }
      const double ratio = batch / *c.workers.begin();
      auto& s = sweeps[ratio];
      s.workers.insert(*c.workers.begin());
      s.rows.insert(s.rows.end(), c.rows.begin(), c.rows.end());
    }
    for (auto& [ratio, s] : sweeps) {
      if (s.workers.size() < 2)
        continue;
      std::sort(s.rows.begin(), s.rows.end());
      out.push_back({"batch = " + number_text(ratio) + " × workers" + delay_title,
                     "batch-" + number_text(ratio) + "x-workers" + delay_slug, ratio, s.rows});
    }
  }
  return out;
}

std::vector<std::string> file_distinct_labels(const std::vector<benchmark_result>& rows) {
  std::map<std::string, std::set<std::string>> files;
  for (const auto& r : rows)
    files[r.name].insert(r.file);
  std::vector<std::string> labels;
  for (const auto& r : rows) {
    labels.push_back(r.name + (files[r.name].size() > 1
                                   ? " (" + std::filesystem::path(r.file).stem().string() + ")"
                                   : ""));
  }
  return labels;
}

}  // namespace poolbench::report
