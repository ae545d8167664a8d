#pragma once
// One line for a command line CLI11 refused, naming what was wrong.

#include <CLI/CLI.hpp>

#include <string>

namespace poolbench::cli {

// For `app`, just parsed and refused with `error`:
//   an unknown subcommand   "unknown command 'bogus' (commands: show, compare, ...)"
//   no subcommand           "a command is required: show, compare, ..."
//   unknown arguments       "unknown option '--bogus'" / "unexpected argument 'x'"
//   a word for a number     "--workers: 'abc' is not a number (range 1 to 4096)"
//   anything else           CLI11's own message.
[[nodiscard]] std::string parse_error_message(const CLI::App& app, const CLI::ParseError& error);

}  // namespace poolbench::cli
