#include <poolbench/runner/cpu_affinity.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <system_error>

namespace poolbench::runner {
namespace {

int parse_cpu(std::string_view part, std::string_view whole) {
  int cpu = -1;
  const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), cpu);
  if (error != std::errc() || end != part.data() + part.size() || cpu < 0)
    throw std::invalid_argument("invalid CPU list '" + std::string(whole) +
                                "' (expected e.g. 0 or 0,2 or 0-3)");
  const long online = ::sysconf(_SC_NPROCESSORS_CONF);
  if (cpu >= CPU_SETSIZE || (online > 0 && cpu >= online))
    throw std::invalid_argument("CPU " + std::to_string(cpu) + " in '" + std::string(whole) +
                                "' does not exist (this machine has " + std::to_string(online) +
                                ")");
  return cpu;
}

}  // namespace

std::vector<int> parse_cpu_list(std::string_view text) {
  std::vector<int> cpus;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    const auto part = text.substr(start, comma - start);
    const auto dash = part.find('-');
    const int first = parse_cpu(part.substr(0, dash), text);
    const int last =
        dash == std::string_view::npos ? first : parse_cpu(part.substr(dash + 1), text);
    if (last < first)
      throw std::invalid_argument("invalid CPU range '" + std::string(part) + "' in '" +
                                  std::string(text) + "'");
    for (int cpu = first; cpu <= last; ++cpu) {
      if (std::find(cpus.begin(), cpus.end(), cpu) == cpus.end())
        cpus.push_back(cpu);
    }
    start = comma + 1;
  }
  return cpus;
}

std::string format_cpu_list(const std::vector<int>& cpus) {
  auto sorted = cpus;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1)
      ++j;
    if (!out.empty())
      out.push_back(',');
    out.append(std::to_string(sorted[i]));
    if (j > i) {
      out.push_back('-');
      out.append(std::to_string(sorted[j]));
    }
    i = j + 1;
  }
  return out;
}

cpu_set_t to_cpu_set(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus)
    CPU_SET(cpu, &set);
  return set;
}

void pin_this_process(const std::vector<int>& cpus) {
  const cpu_set_t set = to_cpu_set(cpus);
  if (::sched_setaffinity(0, sizeof set, &set) != 0)
    throw std::system_error(errno, std::generic_category(),
                            "cannot pin to CPUs " + format_cpu_list(cpus));
}

}  // namespace poolbench::runner
