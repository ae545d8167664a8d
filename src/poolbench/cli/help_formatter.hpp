#pragma once
// CLI11's help laid out for people: every line within the terminal's width,
// plain value names (value_name.hpp) with the allowed range and default in
// the description, and the program's exit codes as the footer of every
// page, the subcommands' included.

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

namespace poolbench::cli {

class help_formatter : public CLI::Formatter {
 public:
  // `width`: the columns to fit (see terminal_width; at most 100 are used,
  // longer lines read badly); `footer`: e.g. the exit codes.
  help_formatter(std::size_t width, std::string footer);

  std::string make_description(const CLI::App* app) const override;
  std::string make_usage(const CLI::App* app, std::string name) const override;
  std::string make_option(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* opt) const override;
  std::string make_option_desc(const CLI::Option* opt) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  std::string make_footer(const CLI::App* app) const override;

  [[nodiscard]] std::size_t width() const noexcept { return width_; }

 private:
  // `left` in the first column, `text` wrapped in the second (below, when
  // `left` fills the first column).
  [[nodiscard]] std::string two_columns(const std::string& left, const std::string& text) const;
  [[nodiscard]] std::string paragraph(const std::string& text) const;

  std::size_t width_;
  std::string footer_;
};

}  // namespace poolbench::cli
