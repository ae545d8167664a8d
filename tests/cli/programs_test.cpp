// Every program's --help, --version and bad usage through the real
// binaries: lines within $COLUMNS, the exit codes in the footer, one-line
// errors naming what was wrong, exit code 2.

#include "server_process.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace {

using poolbench::report::testing::line_count;
using poolbench::report::testing::run_command;
using poolbench::report::testing::shell_quoted;

std::size_t longest_line(const std::string& text) {
  std::istringstream in(text);
  std::size_t longest = 0;
  for (std::string line; std::getline(in, line);)
    longest = std::max(longest, line.size());
  return longest;
}

// The CLI11 programs and the help pages each has.
std::vector<std::pair<std::string, std::string>> help_pages() {
  std::vector<std::pair<std::string, std::string>> out = {
      {POOLBENCH_SERVER_BIN, ""},
  };
#ifdef POOLBENCH_REPORT_BIN
  for (const char* sub : {"", "show", "compare", "render", "plot", "history", "merge"})
    out.emplace_back(POOLBENCH_REPORT_BIN, sub);
#endif
  return out;
}

TEST(Programs, HelpFitsTheTerminalNamesValuesPlainlyAndEndsWithTheExitCodes) {
  for (const auto& [program, sub] : help_pages()) {
    for (const int columns : {60, 100}) {
      const auto r = run_command("env COLUMNS=" + std::to_string(columns) + " " + program + " " +
                                 sub + " --help");
      ASSERT_EQ(r.exit_code, 0) << program << " " << sub << r.err;
      // Program paths in the usage line are the one thing that may not fit.
      std::string text = r.out;
      std::string without;
      for (std::size_t at = 0, next; at < text.size(); at = next + program.size()) {
        next = std::min(text.find(program, at), text.size());
        without.append(text, at, next - at);
        if (next < text.size())
          without += 'P';
      }
      text = without;
      EXPECT_LE(longest_line(text), static_cast<std::size_t>(columns)) << r.out;
      EXPECT_EQ(r.out.find("UINT"), std::string::npos) << r.out;
      EXPECT_EQ(r.out.find(" in ["), std::string::npos) << r.out;
      std::string flat = r.out;  // the footer as words, however it wrapped
      std::replace(flat.begin(), flat.end(), '\n', ' ');
      const auto footer = flat.rfind("Exit codes: 0 ");
      ASSERT_NE(footer, std::string::npos) << r.out;
      EXPECT_NE(flat.find("2 bad usage", footer), std::string::npos) << r.out;
    }
  }
}

TEST(Programs, EveryProgramHasVersion) {
  std::vector<std::pair<std::string, std::string>> programs = {
      {POOLBENCH_SERVER_BIN, "poolbench-server"}};
#ifdef POOLBENCH_REPORT_BIN
  programs.emplace_back(POOLBENCH_REPORT_BIN, "poolbench-report");
#endif
#ifdef POOLBENCH_EXECUTORS_BIN
  programs.emplace_back(POOLBENCH_EXECUTORS_BIN, "poolbench-executors");
#endif
  for (const auto& [path, name] : programs) {
    const auto r = run_command(path + " --version");
    EXPECT_EQ(r.exit_code, 0) << path << r.err;
    EXPECT_EQ(r.out.rfind(name + " " POOLBENCH_VERSION " (git ", 0), 0u) << r.out;
    EXPECT_EQ(line_count(r.out), 1u) << r.out;
  }
}

TEST(Programs, ExecutorsHelpEndsWithTheExitCodesAndRefusesAnUnknownFlag) {
#ifndef POOLBENCH_EXECUTORS_BIN
  GTEST_SKIP() << "poolbench-executors is not built (POOLBENCH_BUILD_BENCH=OFF)";
#else
  const auto help = run_command(std::string(POOLBENCH_EXECUTORS_BIN) + " --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--version"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("Exit codes: 0 ok; 2 "), std::string::npos) << help.out;
  const auto bad = run_command(std::string(POOLBENCH_EXECUTORS_BIN) + " --bogus");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--bogus"), std::string::npos) << bad.err;
#endif
}

// poolbench-zoo is poolbench with the zoo's adapters registered: its help
// names them and --zoo; bad usage is one line and exit 2, before any server.
TEST(Programs, ZooHelpNamesItsAdaptersAndBadUsageIsOneLine) {
#ifndef POOLBENCH_ZOO_BIN
  GTEST_SKIP() << "poolbench-zoo is not built (POOLBENCH_BUILD_BENCH=OFF)";
#else
  const std::string zoo = POOLBENCH_ZOO_BIN;
  const auto help = run_command("env COLUMNS=100 " + zoo + " --help");
  EXPECT_EQ(help.exit_code, 0) << help.err;
  for (const char* part : {"Registered in this program: asio_thread_pool, std_async", "--zoo",
                           "Exit codes: 0 every case measured"})
    EXPECT_NE(help.out.find(part), std::string::npos) << part << "\n" << help.out;
  const auto version = run_command(zoo + " --version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(line_count(version.out), 1u) << version.out;
  const std::pair<std::string, std::string> bad[] = {
      {" --bogus", "unknown option '--bogus'"},
      {" --zoo --workers 4", "--zoo runs its own workloads; --workers does not go with it"},
      {" --strategies nope", "nope"}};
  for (const auto& [args, message] : bad) {
    const auto r = run_command(zoo + args);
    EXPECT_EQ(r.exit_code, 2) << args << ": " << r.err;
    EXPECT_EQ(line_count(r.err), 1u) << args << ": " << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
    EXPECT_EQ(r.out, "") << args;
  }
#endif
}

TEST(Programs, ReportNamesAnUnknownCommandAndFlag) {
#ifndef POOLBENCH_REPORT_BIN
  GTEST_SKIP() << "poolbench-report is not built (POOLBENCH_BUILD_BENCH=OFF)";
#else
  const std::string report = POOLBENCH_REPORT_BIN;
  const auto bogus = run_command(report + " bogus");
  EXPECT_EQ(bogus.exit_code, 2);
  EXPECT_EQ(bogus.err,
            "poolbench-report: unknown command 'bogus' (commands: show, compare, render, plot, "
            "history, merge) (see --help)\n");
  const auto none = run_command(report);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("a command is required: show, compare"), std::string::npos) << none.err;
  const auto flag =
      run_command(report + " show --bogus " +
                  shell_quoted(std::string(POOLBENCH_REPORT_FIXTURES) + "/poolbench_base.json"));
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_EQ(flag.err, "poolbench-report: unknown option '--bogus' (see --help)\n");
#endif
}

TEST(Programs, ReportShowRefusesAGroupKeyOrBaselineTheFilesDoNotHave) {
#ifndef POOLBENCH_REPORT_BIN
  GTEST_SKIP() << "poolbench-report is not built (POOLBENCH_BUILD_BENCH=OFF)";
#else
  const std::string show = std::string(POOLBENCH_REPORT_BIN) + " show ";
  const auto base = shell_quoted(std::string(POOLBENCH_REPORT_FIXTURES) + "/poolbench_base.json");
  const auto group = run_command(show + "--group-by batch,nope " + base);
  EXPECT_EQ(group.exit_code, 2);
  EXPECT_EQ(group.out, "");
  EXPECT_EQ(line_count(group.err), 1u) << group.err;
  EXPECT_NE(group.err.find("--group-by nope: no such key in these files (keys: batch, "),
            std::string::npos)
      << group.err;
  const auto baseline = run_command(show + "--baseline nope " + base);
  EXPECT_EQ(baseline.exit_code, 2);
  EXPECT_EQ(line_count(baseline.err), 1u) << baseline.err;
  EXPECT_NE(baseline.err.find("--baseline nope: no such strategy in these files (strategies: "),
            std::string::npos)
      << baseline.err;
  EXPECT_NE(baseline.err.find("serial, thread_pool)"), std::string::npos) << baseline.err;
  // What the files do hold is accepted.
  EXPECT_EQ(run_command(show + "--group-by batch --baseline serial " + base).exit_code, 0);
#endif
}

TEST(Programs, ReportCallsABinaryFileBinaryNotTruncatedJson) {
#ifndef POOLBENCH_REPORT_BIN
  GTEST_SKIP() << "poolbench-report is not built (POOLBENCH_BUILD_BENCH=OFF)";
#else
  poolbench::report::testing::temp_dir dir;
  const auto png = (dir.path() / "chart.png").string();
  poolbench::report::testing::write_text(png, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  for (const char* sub : {"show ", "compare "}) {
    const std::string args = std::string(sub) == "compare " ? png + " " + png : png;
    const auto r = run_command(std::string(POOLBENCH_REPORT_BIN) + " " + sub + args);
    EXPECT_EQ(r.exit_code, 2) << sub;
    EXPECT_EQ(r.err, "poolbench-report: " + png + ": not JSON (binary data)\n") << sub;
  }
#endif
}

TEST(Programs, ServerRefusesAPortInUseInOneLineWithoutBoostsSourceLocation) {
  poolbench::testing::server_process first(POOLBENCH_SERVER_BIN);
  const auto port = std::to_string(first.port());
  const auto r = run_command(std::string(POOLBENCH_SERVER_BIN) + " --port " + port, 30);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "poolbench-server: cannot listen on 127.0.0.1:" + port + ": Address already in use\n");
  const auto word = run_command(std::string(POOLBENCH_SERVER_BIN) + " --threads abc");
  EXPECT_EQ(word.exit_code, 2);
  EXPECT_EQ(word.err,
            "poolbench-server: --threads: 'abc' is not a number (range 1 to 256) (see --help)\n");
  const auto flag = run_command(std::string(POOLBENCH_SERVER_BIN) + " --bogus");
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_EQ(flag.err, "poolbench-server: unknown option '--bogus' (see --help)\n");
}

}  // namespace
