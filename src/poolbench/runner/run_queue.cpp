#include <poolbench/runner/proc_file.hpp>
#include <poolbench/runner/run_queue.hpp>

#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace poolbench::runner {
namespace {

// The number after "<name> " at the start of a line of `text`.
unsigned count_after(std::string_view text, std::string_view name) {
  for (std::size_t at = 0; at < text.size();) {
    const auto end = std::min(text.find('\n', at), text.size());
    const auto line = text.substr(at, end - at);
    if (line.size() > name.size() && line.substr(0, name.size()) == name &&
        line[name.size()] == ' ') {
      std::istringstream in{std::string(line.substr(name.size() + 1))};
      long long v = -1;
      if (!(in >> v) || v < 0)
        break;
      return static_cast<unsigned>(v);
    }
    at = end + 1;
  }
  throw std::invalid_argument("/proc/stat: no " + std::string(name) + " line");
}

}  // namespace

unsigned parse_run_queue(std::string_view proc_stat) {
  return count_after(proc_stat, "procs_running") + count_after(proc_stat, "procs_blocked");
}

run_queue_sample sample_run_queue(std::chrono::milliseconds window,
                                  std::chrono::milliseconds interval) {
  const auto start = std::chrono::steady_clock::now();
  run_queue_sample out;
  double sum = 0;
  for (auto next = start; next <= start + window; next += interval) {
    std::this_thread::sleep_until(next);
    const unsigned queue = parse_run_queue(read_proc_file("/proc/stat").value_or(""));
    sum += queue > 0 ? queue - 1 : 0;  // this thread is running while it reads
    ++out.samples;
  }
  out.window_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.others_mean = out.samples ? sum / static_cast<double>(out.samples) : 0;
  return out;
}

}  // namespace poolbench::runner
