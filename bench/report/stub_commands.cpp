// Subcommands not yet written: registered so --help lists them.
#include "commands.hpp"

#include <iostream>

namespace poolbench::report_cli {

command add_render(CLI::App& app) {
  auto* cmd = app.add_subcommand("render", "Regenerate the results page (not yet available)");
  return [cmd] { return *cmd ? 2 : -1; };
}
command add_plot(CLI::App& app) {
  auto* cmd = app.add_subcommand("plot", "Write SVG charts (not yet available)");
  return [cmd] { return *cmd ? 2 : -1; };
}

}  // namespace poolbench::report_cli
