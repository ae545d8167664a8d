#pragma once
// The command line every poolbench program shares: call set_up after every
// option and subcommand is added, and handle_parse_error on what parse threw.
//
//   CLI::App app{"poolbench-report: tables, comparisons and charts"};
//   ... add options and subcommands ...
//   const poolbench::cli::program p{"poolbench-report", "Exit codes: 0 ok, ..."};
//   poolbench::cli::set_up(app, p);
//   try { app.parse(argc, argv); }
//   catch (const CLI::ParseError& e) { return poolbench::cli::handle_parse_error(app, e, p); }

#include <CLI/CLI.hpp>

#include <string>

namespace poolbench::cli {

struct program {
  std::string name;        // "poolbench-report": in --version and every error line
  std::string exit_codes;  // "Exit codes: 0 ok, 1 ..., 2 ...": the footer of every help page
};

// Installs on `app` and each of its subcommands the help formatter, sized
// to terminal_width(), with `p.exit_codes` as its footer, and adds
// --version to `app`.
void set_up(CLI::App& app, const program& p);

// Help or version on stdout and 0; otherwise one line on stderr,
// "<name>: <parse_error_message> (see --help)", and 2 (bad usage).
[[nodiscard]] int handle_parse_error(CLI::App& app, const CLI::ParseError& error, const program& p);

}  // namespace poolbench::cli
