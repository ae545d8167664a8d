#include <poolbench/report/compare/compare.hpp>

#include <algorithm>
#include <set>

namespace poolbench::report {
namespace {

// One property and the context keys that may hold it, the first present
// wins: Google Benchmark and poolbench keys first, then pytest-benchmark's
// machine_info as its loader keeps it.
struct property {
  const char* label;
  std::vector<const char*> keys;
  bool machine;
};

const std::vector<property>& properties() {
  static const std::vector<property> list = {
      {"CPU model", {"cpu_model", "cpu"}, true},
      {"MHz per CPU", {"mhz_per_cpu"}, true},
      {"CPUs", {"num_cpus", "cpu_count"}, true},
      {"kernel", {"kernel", "release"}, true},
      {"server kind", {"server_kind"}, false},
      {"build type", {"build_type"}, false},
      {"rounds", {"rounds"}, false},
      {"max rounds", {"max_rounds"}, false},
      {"min-time (s)", {"min_time_s"}, false},
      {"repetitions", {"repetitions"}, false},
      {"warm-up rounds", {"warmup_rounds"}, false},
  };
  return list;
}

std::string value_of(const result_file& file, const property& p) {
  for (const char* key : p.keys) {
    auto v = file.context_value(key);
    if (!v.empty())
      return v;
  }
  return "";
}

// The keep-alive policy a run measured, from its benchmarks' workloads
// (the runner's --keepalive decides which connection kinds run): "off"
// (fresh connections only), "on" (kept alive only), "both", or "" for files
// without poolbench workloads.
std::string keep_alive_policy(const result_file& file) {
  std::set<bool> kinds;
  for (const auto& b : file.benchmarks) {
    if (b.workload)
      kinds.insert(b.workload->keep_alive());
  }
  if (kinds.empty())
    return "";
  if (kinds.size() == 2)
    return "both";
  return *kinds.begin() ? "on" : "off";
}

}  // namespace

std::vector<file_difference> file_differences(const result_file& base,
                                              const result_file& candidate) {
  std::vector<file_difference> out;
  for (const auto& p : properties()) {
    auto a = value_of(base, p), b = value_of(candidate, p);
    if (a != b)
      out.push_back({p.label, std::move(a), std::move(b), p.machine});
  }
  auto a = keep_alive_policy(base), b = keep_alive_policy(candidate);
  if (a != b)
    out.push_back({"keep-alive", std::move(a), std::move(b), false});
  return out;
}

bool machines_differ(const std::vector<file_difference>& differences) {
  return std::any_of(differences.begin(), differences.end(),
                     [](const file_difference& d) { return d.machine; });
}

std::string machine_text(const result_file& file) {
  const auto& list = properties();
  const auto get = [&](std::size_t i) { return value_of(file, list[i]); };
  const auto cpu = get(0), mhz = get(1), cpus = get(2), kernel = get(3);
  std::string text = cpu;
  auto add = [&](const std::string& part) {
    if (part.empty())
      return;
    text += text.empty() ? part : ", " + part;
  };
  if (!cpus.empty())
    add(cpus + " CPUs" + (mhz.empty() ? "" : " at " + mhz + " MHz"));
  else if (!mhz.empty())
    add(mhz + " MHz");
  add(kernel);
  return text;
}

}  // namespace poolbench::report
