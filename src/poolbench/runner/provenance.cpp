#include <poolbench/runner/provenance.hpp>

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace poolbench::runner {
namespace {

std::string build_type() {
#ifdef POOLBENCH_BUILD_TYPE
  return POOLBENCH_BUILD_TYPE;
#else
  return "unknown";
#endif
}

std::string compiler() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

std::string source_dir() {
#ifdef POOLBENCH_SOURCE_DIR
  return POOLBENCH_SOURCE_DIR;
#else
  return "";
#endif
}

// What a shell command prints on stdout, and whether it exited 0. Run once,
// at start-up, before any thread or pool exists.
bool run_command(const std::string& command, std::string& out) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr)
    return false;
  char buffer[512];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
    out.append(buffer, n);
  return ::pclose(pipe) == 0;
}

std::string single_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return text;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos)
        return trimmed(line.substr(line.find_first_not_of(' ', colon + 1)));
    }
  }
  return "unknown";
}

// The boot this run happened in: two files with one boot_id were measured
// on one machine with no reboot between (the report pairs files by it).
std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  if (!std::getline(in, id) || id.empty())
    return "unknown";
  return id;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0')
    return "unknown";
  return name;
}

std::string kernel() {
  utsname u{};
  if (::uname(&u) != 0)
    return "unknown";
  return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

}  // namespace

nlohmann::ordered_json provenance() {
  nlohmann::ordered_json out;
  const std::string dir = source_dir();
  std::string revision;
  if (!dir.empty() &&
      run_command("git -C " + single_quoted(dir) + " rev-parse --short=12 HEAD 2>/dev/null",
                  revision) &&
      !trimmed(revision).empty()) {
    out["git_revision"] = trimmed(revision);
    // Local changes to the code (published results under results/ excluded:
    // writing them is what a run does).
    std::string changes;
    run_command("git -C " + single_quoted(dir) +
                    " status --porcelain --untracked-files=no -- . ':!results' 2>/dev/null",
                changes);
    out["git_dirty"] = !trimmed(changes).empty();
  } else {
    out["git_revision"] = "unknown";
  }
  out["build_type"] = build_type();
  out["compiler"] = compiler();
  out["host"] = host_name();
  out["boot_id"] = boot_id();
  out["kernel"] = kernel();
  out["cpu_model"] = cpu_model();
  out["cpu_count"] = std::thread::hardware_concurrency();
  return out;
}

std::string load_average() {
  double load[3];
  if (::getloadavg(load, 3) != 3)
    return "unknown";
  std::ostringstream out;
  out.precision(2);
  out << std::fixed << load[0] << " " << load[1] << " " << load[2];
  return out.str();
}

}  // namespace poolbench::runner
