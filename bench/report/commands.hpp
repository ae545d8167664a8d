#pragma once

// The subcommands of poolbench-report: each registers its options on the CLI
// and runs when chosen, returning the process exit code (0 ok, 1 a failed
// check, 2 bad usage or unreadable input).

#include <poolbench/report/input/result.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace poolbench::report_cli {

namespace report = poolbench::report;

using command = std::function<int()>;

[[nodiscard]] command add_show(CLI::App& app);
[[nodiscard]] command add_compare(CLI::App& app);
[[nodiscard]] command add_render(CLI::App& app);
[[nodiscard]] command add_plot(CLI::App& app);
[[nodiscard]] command add_history(CLI::App& app);
[[nodiscard]] command add_merge(CLI::App& app);

// "5%", "5" or "2.5 %" -> 5, 5, 2.5; throws usage_error naming `option`
// for anything else, or a value outside [0, 100).
[[nodiscard]] double parse_percent(std::string text, const std::string& option);

// Every file loaded once, in order; throws input_error (exit 2) naming a
// file that cannot be read or whose "benchmarks" list is empty.
[[nodiscard]] std::vector<report::result_file> load_inputs(const std::vector<std::string>& paths);

// Colour for stdout: "always", "never", or "auto" (a terminal, NO_COLOR unset).
[[nodiscard]] bool want_colour(const std::string& when);

}  // namespace poolbench::report_cli
