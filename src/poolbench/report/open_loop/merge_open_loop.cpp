#include <poolbench/report/open_loop/merge_open_loop.hpp>

#include <poolbench/report/input/errors.hpp>

#include <poolbench/results/latency_histogram.hpp>
#include <poolbench/results/workload.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

namespace poolbench::report {
namespace {

using nlohmann::ordered_json;

// Context keys that must agree: the schedule every host ran.
constexpr const char* schedule_keys[] = {"load_model", "arrivals", "duration_s"};

std::string dump(const ordered_json& j) {
  return j.is_null() ? "absent" : j.dump();
}

// The open-loop runs of one part, by name, in file order.
std::vector<std::pair<std::string, const ordered_json*>> runs_of(const merge_part& part) {
  const auto& doc = part.document;
  if (!doc.is_object() || !doc.contains("benchmarks") || !doc["benchmarks"].is_array() ||
      doc["benchmarks"].empty())
    throw input_error(part.label + ": no benchmarks to merge");
  std::vector<std::pair<std::string, const ordered_json*>> out;
  std::set<std::string> seen;
  for (const auto& run : doc["benchmarks"]) {
    const std::string name = run.value("name", "");
    if (run.value("error_occurred", false))
      throw input_error(part.label + ": " + name + " failed (" + run.value("error_message", "") +
                        "); a merge would hide the failure");
    const auto w = results::parse_case_name(name);
    if (!w || !w->open_loop || !run.contains("histogram") || !run.contains("open_loop"))
      throw input_error(part.label + ": " + name +
                        " is not an open-loop run with a histogram (poolbench --rate)");
    if (run.value("run_type", "iteration") != "iteration" || !seen.insert(name).second)
      throw input_error(part.label + ": " + name + " appears more than once");
    out.emplace_back(name, &run);
  }
  return out;
}

double number(const ordered_json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number())
    throw std::invalid_argument(std::string("no number \"") + key + "\"");
  return j[key].get<double>();
}

std::uint64_t count(const ordered_json& j, const char* key) {
  return static_cast<std::uint64_t>(number(j, key));
}

// The merged context: what every part agrees on, the hosts, and each
// part's whole context under "parts".
ordered_json merged_context(const std::vector<merge_part>& parts) {
  ordered_json out = ordered_json::object();
  const auto& first = parts.front().document.value("context", ordered_json::object());
  for (const auto& [key, value] : first.items()) {
    // Clang 14 cannot capture structured bindings: name them for the lambda.
    const bool shared =
        std::all_of(parts.begin(), parts.end(), [&k = key, &v = value](const merge_part& p) {
          const auto& c = p.document.value("context", ordered_json::object());
          return c.contains(k) && c[k] == v;
        });
    if (shared)
      out[key] = value;
  }
  std::string hosts, earliest;
  ordered_json list = ordered_json::array();
  for (const auto& p : parts) {
    const auto& c = p.document.value("context", ordered_json::object());
    if (!hosts.empty())
      hosts += '+';
    hosts += c.value("host_name", std::string("?"));
    const std::string date = c.value("date", "");
    if (!date.empty() && (earliest.empty() || date < earliest))
      earliest = date;
    list.push_back({{"file", p.label}, {"context", c}});
  }
  out["host_name"] = hosts;
  if (!earliest.empty())
    out["date"] = earliest;
  out["merged_hosts"] = parts.size();
  out["merge"] =
      "poolbench-report merge: histograms, rates, requests and incompletes added; "
      "percentiles recomputed from the merged histogram; service times are per part only";
  out["parts"] = list;
  return out;
}

void check_schedules(const std::vector<merge_part>& parts) {
  const auto& first = parts.front();
  const auto& c0 = first.document.value("context", ordered_json::object());
  for (const auto& p : parts) {
    const auto& c = p.document.value("context", ordered_json::object());
    for (const char* key : schedule_keys) {
      const auto a = c0.contains(key) ? c0[key] : ordered_json();
      const auto b = c.contains(key) ? c[key] : ordered_json();
      if (a != b)
        throw input_error(p.label + ": " + key + " " + dump(b) + " differs from " + first.label +
                          "'s " + dump(a) + "; merge needs one schedule on every host");
    }
  }
}

// One merged run from the same run of every part.
ordered_json merge_run(const std::string& name, const std::vector<const ordered_json*>& runs,
                       const std::vector<merge_part>& parts) {
  const auto& first = *runs.front();
  ordered_json out = first;
  auto w = *results::parse_case_name(name);
  const std::string unit = first.value("time_unit", "");
  double offered = 0, achieved = 0, real_time = 0, cpu_time = 0;
  std::uint64_t requests = 0, completed = 0, incomplete = 0;
  results::latency_histogram histogram;
  ordered_json part_runs = ordered_json::array();
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const auto& run = *runs[k];
    const auto& label = parts[k].label;
    if (run.value("time_unit", "") != unit)
      throw input_error(label + ": " + name + " in " + run.value("time_unit", "?") + ", " +
                        parts.front().label + " in " + unit);
    try {
      const auto& ol = run["open_loop"];
      auto h =
          results::latency_histogram::from_json(run["histogram"], number(ol["latency_s"], "max"));
      if (k == 0)
        histogram = h;
      else if (!histogram.same_layout(h))
        throw input_error(label + ": " + name + " has " + h.layout() + ", " + parts.front().label +
                          " has " + histogram.layout());
      else
        histogram.merge(h);
      offered += number(ol, "offered_rate");
      achieved += number(ol, "achieved_rate");
      requests += count(ol, "requests");
      completed += count(ol, "completed");
      incomplete += count(ol, "incomplete");
      real_time = std::max(real_time, number(run, "real_time"));
      cpu_time += number(run, "cpu_time");
      part_runs.push_back({{"file", label},
                           {"host_name", parts[k].document["context"].value("host_name", "?")},
                           {"open_loop", ol}});
    } catch (const std::invalid_argument& e) {
      throw input_error(label + ": " + name + ": " + e.what());
    } catch (const nlohmann::json::exception& e) {
      throw input_error(label + ": " + name + ": unexpected layout: " + e.what());
    }
  }
  w.open_loop->rate = offered;
  const std::string merged_name = results::case_name(w);
  out["name"] = merged_name;
  out["run_name"] = merged_name;
  out["real_time"] = real_time;  // the longest part: the hosts ran side by side
  out["cpu_time"] = cpu_time;    // every host's client CPU
  const ordered_json latency = {{"p50", histogram.percentile(0.50)},
                                {"p90", histogram.percentile(0.90)},
                                {"p99", histogram.percentile(0.99)},
                                {"p999", histogram.percentile(0.999)},
                                {"max", histogram.max()}};
  // The counters Google Benchmark readers see, merged like open_loop.
  out["offered_rate"] = offered;
  out["achieved_rate"] = achieved;
  out["requests"] = static_cast<double>(requests);
  out["completed"] = static_cast<double>(completed);
  out["incomplete"] = static_cast<double>(incomplete);
  for (const char* key : {"p50", "p90", "p99", "p999", "max"})
    out[key] = latency[key];
  // Service times have no histogram in the file: not mergeable, so they
  // stay per part rather than being averaged into a number nobody measured.
  out.erase("service_p50");
  out.erase("service_p99");
  if (out.contains("workload") && out["workload"].is_object())
    out["workload"]["rate"] = offered;
  out["open_loop"] = {{"offered_rate", offered},  {"achieved_rate", achieved},
                      {"requests", requests},     {"completed", completed},
                      {"incomplete", incomplete}, {"latency_s", latency},
                      {"hosts", runs.size()}};
  out["histogram"] = histogram.to_json();
  out["parts"] = part_runs;
  return out;
}

}  // namespace

ordered_json merge_open_loop(const std::vector<merge_part>& parts) {
  if (parts.size() < 2)
    throw input_error("merge needs at least two result files");
  check_schedules(parts);
  std::vector<std::vector<std::pair<std::string, const ordered_json*>>> runs;
  for (const auto& p : parts)
    runs.push_back(runs_of(p));
  std::map<std::string, const ordered_json*> names0(runs.front().begin(), runs.front().end());
  for (std::size_t k = 1; k < parts.size(); ++k) {
    std::map<std::string, const ordered_json*> names(runs[k].begin(), runs[k].end());
    for (const auto& [name, run] : names0) {
      if (!names.contains(name))
        throw input_error(parts[k].label + ": has no " + name + " (in " + parts.front().label +
                          "); merge needs the same runs from every host");
    }
    for (const auto& [name, run] : names) {
      if (!names0.contains(name))
        throw input_error(parts[k].label + ": has " + name + ", which " + parts.front().label +
                          " lacks; merge needs the same runs from every host");
    }
  }
  ordered_json out = {{"context", merged_context(parts)}, {"benchmarks", ordered_json::array()}};
  for (const auto& [name, run] : runs.front()) {
    std::vector<const ordered_json*> same;
    for (const auto& part_runs : runs) {
      same.push_back(std::find_if(part_runs.begin(), part_runs.end(), [&n = name](const auto& r) {
                       return r.first == n;
                     })->second);
    }
    out["benchmarks"].push_back(merge_run(name, same, parts));
  }
  return out;
}

}  // namespace poolbench::report
