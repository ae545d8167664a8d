#pragma once

// Shared by the report tests: fixture paths, file reading, and running a
// program with a time limit.

#include <sys/wait.h>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace poolbench::report::testing {

// True when the environment says this is CI (CI=true, as CI systems and
// .ci/run set it). There scripts/setup has installed every optional tool, so a
// missing one is a broken set-up, not a reason to skip.
inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

// Skips the test when an optional dependency is missing, except in CI, where
// the same condition fails it: a skipped check must not pass silently there.
#define POOLBENCH_REQUIRE_DEPENDENCY(present, why)                           \
  do {                                                                       \
    if (!(present)) {                                                        \
      if (::poolbench::report::testing::running_in_ci())                     \
        GTEST_FAIL() << "CI=true but a test dependency is missing: " << why; \
      GTEST_SKIP() << why;                                                   \
    }                                                                        \
  } while (false)

// Nine repetition values around `centre`, within ±spread of it: a
// synthetic benchmark whose interval is narrow and known.
inline std::vector<double> around(double centre, double spread = 0.01) {
  const std::vector<double> offsets = {0, 1, -1, 0.5, -0.5, 0.8, -0.8, 0.2, -0.2};
  std::vector<double> out;
  for (double o : offsets)
    out.push_back(centre * (1 + spread * o));
  return out;
}

// The poolbench-report binary the command-line tests run. Without the
// programs under bench/ (POOLBENCH_BUILD_BENCH=OFF) it is "" and
// POOLBENCH_REQUIRE_REPORT_PROGRAM() skips the test.
#ifdef POOLBENCH_REPORT_BIN
inline const std::string report_program = POOLBENCH_REPORT_BIN;
#define POOLBENCH_REQUIRE_REPORT_PROGRAM() (void)0
#else
inline const std::string report_program;
#define POOLBENCH_REQUIRE_REPORT_PROGRAM() \
  GTEST_SKIP() << "poolbench-report is not built (POOLBENCH_BUILD_BENCH=OFF)"
#endif

// How many lines `s` has ("one line" means one newline).
inline std::size_t line_count(const std::string& s) {
  std::size_t n = 0;
  for (char c : s)
    n += c == '\n' ? 1 : 0;
  return n;
}

// Built by appending: with the precompiled header (tests/CMakeLists.txt)
// GCC 12 warns falsely (-Warray-bounds) on std::string(...) + "/" + name.
inline std::string fixture(const std::string& name) {
  std::string path = POOLBENCH_REPORT_FIXTURES;
  path += '/';
  path += name;
  return path;
}

// 'text' for the shell (the paths used here have no quotes in them). Built
// by appending: GCC 12 warns falsely (-Wrestrict) on "'" + std::string.
inline std::string shell_quoted(const std::string& text) {
  std::string out;
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A fresh directory under the system temp dir, removed with the object.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "report-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct command_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` through the shell with stdout and stderr captured, killed
// after `seconds` (coreutils timeout), so no test can hang on it.
inline command_result run_command(const std::string& command, int seconds = 120) {
  temp_dir dir;
  const auto out = dir.path() / "out", err = dir.path() / "err";
  const std::string line = "timeout " + std::to_string(seconds) + " " + command + " >" +
                           out.string() + " 2>" + err.string() + " </dev/null";
  const int status = std::system(line.c_str());
  command_result r;
  r.exit_code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

}  // namespace poolbench::report::testing
