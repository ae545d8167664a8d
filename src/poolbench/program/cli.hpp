#pragma once
// poolbench's command line: flags in, a typed run_plan out.

#include <poolbench/runner/run_plan.hpp>

namespace poolbench::cli {

// Thrown by a step that has already said what went wrong (or printed
// --help / --version): the program exits with `code`.
struct exit_now {
  int code;
};

// Parses argv into a plan. Prints help or the version and throws
// exit_now{0}; prints one line naming the problem and throws exit_now{2} for
// bad usage. Pins this process to --client-cpus (before any thread exists).
[[nodiscard]] runner::run_plan parse_command_line(int argc, char** argv);

}  // namespace poolbench::cli
