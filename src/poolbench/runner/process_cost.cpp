#include <poolbench/runner/proc_file.hpp>
#include <poolbench/runner/process_cost.hpp>

#include <dirent.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>

namespace poolbench::runner {
namespace {

process_usage from_rusage(int who) {
  rusage ru{};
  ::getrusage(who, &ru);
  const auto seconds = [](const timeval& tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
  };
  return {seconds(ru.ru_utime) + seconds(ru.ru_stime),
          static_cast<std::uint64_t>(ru.ru_nvcsw) + static_cast<std::uint64_t>(ru.ru_nivcsw)};
}

// The number after "<key>:" at the start of a line of a /proc status-like
// file (never its first line: that is a name or a header). The colon makes
// "Pss:" distinct from "Pss_Dirty:".
std::optional<std::uint64_t> field(const std::string& text, const char* key) {
  const std::string wanted = std::string("\n") + key + ":";
  const auto at = text.find(wanted);
  if (at == std::string::npos)
    return std::nullopt;
  return std::strtoull(text.c_str() + at + wanted.size(), nullptr, 10);
}

// utime + stime of /proc/.../stat in seconds: fields 14 and 15, counted
// after the command name's closing parenthesis (the name may hold spaces).
std::optional<double> stat_cpu_seconds(const std::string& stat) {
  const auto close = stat.rfind(')');
  if (close == std::string::npos)
    return std::nullopt;
  std::istringstream in(stat.substr(close + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i)
    in >> skip;
  unsigned long long utime = 0, stime = 0;
  if (!(in >> utime >> stime))
    return std::nullopt;
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::optional<double> thread_cpu_seconds(const std::string& task) {
  if (const auto schedstat = read_proc_file(task + "/schedstat")) {
    unsigned long long ns = 0;
    if (std::sscanf(schedstat->c_str(), "%llu", &ns) == 1)
      return static_cast<double>(ns) * 1e-9;
  }
  if (const auto stat = read_proc_file(task + "/stat"))
    return stat_cpu_seconds(*stat);
  return std::nullopt;
}

}  // namespace

process_usage self_usage() {
  return from_rusage(RUSAGE_SELF);
}

process_usage thread_usage() {
  return from_rusage(RUSAGE_THREAD);
}

process_usage reaped_children_usage() {
  return from_rusage(RUSAGE_CHILDREN);
}

std::optional<process_usage> usage_of(pid_t pid) {
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = ::opendir(tasks.c_str());
  if (dir == nullptr)
    return std::nullopt;
  process_usage total;
  bool any = false;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
      continue;
    const std::string task = tasks + "/" + entry->d_name;
    // A thread that ends between readdir and here simply is not counted.
    const auto cpu = thread_cpu_seconds(task);
    const auto status = read_proc_file(task + "/status");
    if (!cpu || !status)
      continue;
    any = true;
    total.cpu_seconds += *cpu;
    total.context_switches += field(*status, "voluntary_ctxt_switches").value_or(0) +
                              field(*status, "nonvoluntary_ctxt_switches").value_or(0);
  }
  ::closedir(dir);
  if (!any)
    return std::nullopt;
  return total;
}

std::optional<pss_reading> pss_of(pid_t pid) {
  const auto rollup = read_proc_file("/proc/" + std::to_string(pid) + "/smaps_rollup");
  if (!rollup)
    return std::nullopt;
  const auto total = field(*rollup, "Pss");
  if (!total)
    return std::nullopt;
  pss_reading r;
  r.total_kib = *total;
  const auto anon = field(*rollup, "Pss_Anon");
  r.own_kib = anon ? *anon + field(*rollup, "Pss_Shmem").value_or(0) : *total;
  return r;
}

std::size_t usable_cpus(pid_t pid) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(pid, sizeof set, &set) != 0)
    return 1;
  const int n = CPU_COUNT(&set);
  return n > 0 ? static_cast<std::size_t>(n) : 1;
}

}  // namespace poolbench::runner
