#include <poolbench/runner/noise_guard.hpp>
#include <poolbench/runner/proc_file.hpp>
#include <poolbench/runner/wakeup_latency.hpp>

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace poolbench::runner {
namespace {

using steady = std::chrono::steady_clock;

std::vector<std::uint64_t> numbers_after(std::string_view text, std::string_view prefix,
                                         const char* what) {
  if (text.substr(0, prefix.size()) != prefix)
    throw std::invalid_argument(std::string(what) + ": does not start with \"" +
                                std::string(prefix) + "\"");
  std::istringstream in{std::string(text.substr(prefix.size(), text.find('\n') - prefix.size()))};
  std::vector<std::uint64_t> out;
  std::uint64_t v = 0;
  while (in >> v)
    out.push_back(v);
  return out;
}

// "" for a file that cannot be read: the parsers then say what is missing.
std::string read_file(const char* path) {
  return read_proc_file(path).value_or("");
}

std::string fixed(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

std::string percent(double fraction) {
  return fixed(fraction * 100, 1) + "%";
}

double now_s() {
  return std::chrono::duration<double>(steady::now().time_since_epoch()).count();
}

// utime + stime of this process's live (and zombie) children, from every
// /proc/<pid>/stat whose parent is this process. A process that exits
// between the listing and the read is skipped: its ticks reach cutime.
std::uint64_t live_children_ticks() {
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr)
    return 0;
  const long self = static_cast<long>(::getpid());
  std::uint64_t sum = 0;
  while (const dirent* entry = ::readdir(dir)) {
    const char* name = entry->d_name;
    if (name[0] < '1' || name[0] > '9')
      continue;
    const auto text = read_proc_file(std::string("/proc/") + name + "/stat");
    if (!text)
      continue;
    try {
      const auto r = parse_stat_parent_ticks(*text);
      if (r.parent == self)
        sum += r.ticks;
    } catch (const std::exception&) {
      // A line the kernel did not finish writing: not ours to count.
    }
  }
  ::closedir(dir);
  return sum;
}

proc_snapshot take_snapshot() {
  proc_snapshot s;
  s.at_s = now_s();
  s.machine = parse_proc_stat(read_file("/proc/stat"));
  s.own = run_ticks();
  try {
    const auto text = read_file("/proc/pressure/cpu");
    if (!text.empty())
      s.pressure_us = parse_cpu_pressure_total_us(text);
  } catch (const std::invalid_argument&) {
    // Kernels without PSI (or with it off): the reading is left out, not guessed.
  }
  return s;
}

unsigned cpu_count() {
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1U;
}

// A fixed amount of work the compiler cannot remove: an LCG whose result is
// stored through a volatile.
double spin_once(std::uint64_t iterations) {
  volatile std::uint64_t sink = 0;
  std::uint64_t x = 88172645463325252ULL;
  const auto start = steady::now();
  for (std::uint64_t i = 0; i < iterations; ++i)
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  sink = x;
  (void)sink;
  return std::chrono::duration<double>(steady::now() - start).count();
}

}  // namespace

cpu_ticks parse_proc_stat(std::string_view text) {
  const auto v = numbers_after(text, "cpu ", "/proc/stat");
  if (v.size() < 8)
    throw std::invalid_argument("/proc/stat: the cpu line has fewer than 8 fields");
  // user nice system idle iowait irq softirq steal [guest guest_nice]
  cpu_ticks t;
  t.busy = v[0] + v[1] + v[2] + v[5] + v[6];
  t.idle = v[3] + v[4];
  t.steal = v[7];
  return t;
}

double parse_loadavg(std::string_view text) {
  std::istringstream in{std::string(text)};
  double load = 0;
  if (!(in >> load) || load < 0)
    throw std::invalid_argument("/proc/loadavg: no load average");
  return load;
}

namespace {

// The fields of a /proc/<pid>/stat line after its command name, which is in
// parentheses and may hold spaces (so they are counted from the last ')'):
// fields[0] is field 3 (state), so field N is fields[N - 3]. Throws unless
// there are at least `last_field` fields.
std::vector<std::string> stat_fields(std::string_view text, const char* what,
                                     std::size_t last_field) {
  const auto close = text.rfind(')');
  if (close == std::string_view::npos)
    throw std::invalid_argument(std::string(what) + ": no command name");
  std::istringstream in{std::string(text.substr(close + 1))};
  std::vector<std::string> fields;
  std::string f;
  while (fields.size() < last_field - 2 && in >> f)
    fields.push_back(f);
  if (fields.size() < last_field - 2)
    throw std::invalid_argument(std::string(what) + ": fewer than " + std::to_string(last_field) +
                                " fields");
  return fields;
}

// The sum of fields first..last, each a tick count (negative read as 0).
std::uint64_t tick_sum(const std::vector<std::string>& fields, std::size_t first,
                       std::size_t last) {
  std::uint64_t sum = 0;
  for (std::size_t n = first; n <= last; ++n) {
    const long long v = std::stoll(fields[n - 3]);
    sum += v > 0 ? static_cast<std::uint64_t>(v) : 0;
  }
  return sum;
}

}  // namespace

std::uint64_t parse_self_stat_ticks(std::string_view text) {
  // Fields 14-17 are utime stime cutime cstime.
  return tick_sum(stat_fields(text, "/proc/self/stat", 17), 14, 17);
}

stat_parent_ticks parse_stat_parent_ticks(std::string_view text) {
  // Field 4 is the parent's pid, 14-15 utime and stime.
  const auto fields = stat_fields(text, "/proc/<pid>/stat", 15);
  return {std::stol(fields[4 - 3]), tick_sum(fields, 14, 15)};
}

std::uint64_t run_ticks() {
  return parse_self_stat_ticks(read_file("/proc/self/stat")) + live_children_ticks();
}

std::uint64_t parse_cpu_pressure_total_us(std::string_view text) {
  if (text.substr(0, 5) != "some ")
    throw std::invalid_argument("/proc/pressure/cpu: no \"some\" line");
  const auto line = text.substr(0, text.find('\n'));
  const auto at = line.find("total=");
  if (at == std::string_view::npos)
    throw std::invalid_argument("/proc/pressure/cpu: no total=");
  return std::stoull(std::string(line.substr(at + 6)));
}

noise_readings readings_between(const proc_snapshot& a, const proc_snapshot& b, unsigned cpus) {
  noise_readings r;
  r.cpus = std::max(1U, cpus);
  r.window_s = b.at_s - a.at_s;
  const auto delta = [](std::uint64_t x, std::uint64_t y) { return y > x ? y - x : 0; };
  const double total = static_cast<double>(delta(a.machine.total(), b.machine.total()));
  if (total > 0) {
    r.steal_fraction = static_cast<double>(delta(a.machine.steal, b.machine.steal)) / total;
    const auto busy = delta(a.machine.busy, b.machine.busy);
    const auto own = delta(a.own, b.own);
    // Ticks are counted per CPU: total / cpus ticks make one CPU's window.
    const double other = static_cast<double>(busy > own ? busy - own : 0);
    r.other_cpus = other / (total / r.cpus);
  }
  if (a.pressure_us && b.pressure_us && r.window_s > 0)
    r.cpu_pressure = std::min(
        1.0, static_cast<double>(delta(*a.pressure_us, *b.pressure_us)) * 1e-6 / r.window_s);
  return r;
}

double coefficient_of_variation(const std::vector<double>& values) {
  if (values.size() < 2)
    return 0;
  double mean = 0;
  for (double v : values)
    mean += v;
  mean /= static_cast<double>(values.size());
  if (mean <= 0)
    return 0;
  double ss = 0;
  for (double v : values)
    ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(values.size() - 1)) / mean;
}

noise_record decide(std::string when, const noise_readings& r, const noise_thresholds& limits,
                    bool use_load) {
  noise_record out;
  out.when = std::move(when);
  out.readings = r;
  auto& why = out.reasons;
  const double per_cpu = r.load_1m / std::max(1U, r.cpus);
  if (use_load && per_cpu > limits.max_load_per_cpu)
    why.push_back("load average " + fixed(r.load_1m, 2) + " on " + std::to_string(r.cpus) +
                  " CPUs (above " + fixed(limits.max_load_per_cpu, 2) + " per CPU)");
  if (r.steal_fraction > limits.max_steal_fraction)
    why.push_back("CPU steal " + percent(r.steal_fraction) + " (above " +
                  percent(limits.max_steal_fraction) + ")");
  if (r.other_cpus > limits.max_other_cpus)
    why.push_back("other processes used " + fixed(r.other_cpus, 2) + " CPUs (above " +
                  fixed(limits.max_other_cpus, 2) + ")");
  if (r.cpu_pressure && *r.cpu_pressure > limits.max_cpu_pressure)
    why.push_back("tasks waited for a CPU " + percent(*r.cpu_pressure) + " of the time (above " +
                  percent(limits.max_cpu_pressure) + ")");
  if (r.calibration_s.size() >= 2 && r.calibration_cv > limits.max_calibration_cv)
    why.push_back("calibration CV " + percent(r.calibration_cv) + " (above " +
                  percent(limits.max_calibration_cv) + ")");
  out.busy = !why.empty();
  return out;
}

noise_record measure_noise(const noise_options& options) {
  const auto start = steady::now();
  const auto first = take_snapshot();
  std::vector<double> calibration;
  for (std::size_t i = 0; i < options.calibration_runs; ++i)
    calibration.push_back(spin_once(options.calibration_iterations));
  const auto wakeup = options.wakeup_round_trips > 0
                          ? measure_wakeup_round_trip(options.wakeup_round_trips)
                          : std::nullopt;
  // The rest of the window idles, so the reading also covers what others do
  // while this process does nothing.
  std::this_thread::sleep_until(start + options.window);
  auto readings = readings_between(first, take_snapshot(), cpu_count());
  readings.load_1m = parse_loadavg(read_file("/proc/loadavg"));
  readings.calibration_cv = coefficient_of_variation(calibration);
  readings.calibration_s = std::move(calibration);
  readings.wakeup_round_trip_s = wakeup;
  return decide("start", readings, options.limits, /*use_load=*/true);
}

noise_record recheck_noise(const std::string& when, std::chrono::milliseconds window,
                           const noise_thresholds& limits) {
  const auto first = take_snapshot();
  std::this_thread::sleep_for(window);
  auto readings = readings_between(first, take_snapshot(), cpu_count());
  readings.load_1m = parse_loadavg(read_file("/proc/loadavg"));
  return decide(when, readings, limits, /*use_load=*/false);
}

nlohmann::ordered_json to_json(const noise_record& record) {
  const auto& r = record.readings;
  nlohmann::ordered_json out;
  out["when"] = record.when;
  out["load_1m"] = r.load_1m;
  out["cpus"] = r.cpus;
  out["window_s"] = r.window_s;
  out["steal_fraction"] = r.steal_fraction;
  out["other_cpus"] = r.other_cpus;
  out["cpu_pressure"] = r.cpu_pressure ? nlohmann::ordered_json(*r.cpu_pressure) : nullptr;
  out["calibration_s"] = r.calibration_s;
  out["calibration_cv"] = r.calibration_cv;
  if (r.wakeup_round_trip_s)
    out["wakeup_round_trip_us"] = *r.wakeup_round_trip_s * 1e6;
  out["busy"] = record.busy;
  out["reasons"] = record.reasons;
  if (record.stale_load)
    out["stale_load"] = {{"run_queue", record.stale_load->run_queue},
                         {"window_s", record.stale_load->window_s},
                         {"samples", record.stale_load->samples}};
  return out;
}

std::string busy_warning(const noise_record& record) {
  if (!record.busy)
    return {};
  std::string out = "poolbench: the machine is busy (" + record.when + "): ";
  for (std::size_t i = 0; i < record.reasons.size(); ++i)
    out += (i ? "; " : "") + record.reasons[i];
  return out + ". Results may be unstable; see docs/noise.md";
}

}  // namespace poolbench::runner
