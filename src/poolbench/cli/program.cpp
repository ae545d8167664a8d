#include <poolbench/cli/program.hpp>

#include <poolbench/cli/help_formatter.hpp>
#include <poolbench/cli/parse_error.hpp>
#include <poolbench/cli/terminal_width.hpp>
#include <poolbench/cli/version.hpp>

#include <iostream>
#include <memory>

namespace poolbench::cli {
namespace {

void install(CLI::App& app, const std::shared_ptr<help_formatter>& formatter) {
  app.formatter(formatter);
  for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    install(*sub, formatter);
}

}  // namespace

void set_up(CLI::App& app, const program& p) {
  install(app, std::make_shared<help_formatter>(terminal_width(), p.exit_codes));
  app.set_version_flag("--version", version_line(p.name), "Print the version and exit");
}

int handle_parse_error(CLI::App& app, const CLI::ParseError& error, const program& p) {
  if (dynamic_cast<const CLI::CallForHelp*>(&error) != nullptr ||
      dynamic_cast<const CLI::CallForAllHelp*>(&error) != nullptr ||
      dynamic_cast<const CLI::CallForVersion*>(&error) != nullptr) {
    // CLI::App::exit prints the help of the subcommand that asked for it.
    return app.exit(error);
  }
  std::cerr << p.name << ": " << parse_error_message(app, error) << " (see --help)\n";
  return 2;
}

}  // namespace poolbench::cli
