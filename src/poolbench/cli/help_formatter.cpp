#include <poolbench/cli/help_formatter.hpp>

#include <poolbench/cli/text_wrap.hpp>
#include <poolbench/cli/value_name.hpp>

#include <algorithm>
#include <sstream>

namespace poolbench::cli {
namespace {

constexpr std::size_t max_width = 100;
constexpr std::size_t min_width = 40;  // narrower, and nothing fits

}  // namespace

help_formatter::help_formatter(std::size_t width, std::string footer)
    : width_(std::clamp(width, min_width, max_width)), footer_(std::move(footer)) {
  // The name column: a third of the width, so descriptions keep room.
  column_width(std::min<std::size_t>(30, width_ / 3));
}

std::string help_formatter::paragraph(const std::string& text) const {
  std::string out;
  for (const auto& line : wrap(text, width_))
    out += line + "\n";
  return out;
}

std::string help_formatter::two_columns(const std::string& left, const std::string& text) const {
  const std::size_t column = column_width_;
  const std::string name = "  " + left;
  const auto lines = wrap(text, width_ - column);
  std::string out = name;
  std::size_t first = 0;
  if (name.size() + 1 > column || lines.empty()) {
    out += "\n";  // the description starts on the next line, in its column
  } else {
    out += std::string(column - name.size(), ' ') + lines.front() + "\n";
    first = 1;
  }
  for (std::size_t k = first; k < lines.size(); ++k)
    out += std::string(column, ' ') + lines[k] + "\n";
  return out;
}

std::string help_formatter::make_description(const CLI::App* app) const {
  const std::string text = app->get_description();
  return text.empty() ? std::string() : paragraph(text);
}

std::string help_formatter::make_usage(const CLI::App* app, std::string name) const {
  // CLI11's usage line, wrapped with the continuation under the program name.
  std::string usage = CLI::Formatter::make_usage(app, std::move(name));
  while (!usage.empty() && usage.back() == '\n')
    usage.pop_back();
  std::string out;
  for (const auto& line : wrap(usage, width_))
    out += (out.empty() ? line : "       " + line) + "\n";
  return out;
}

std::string help_formatter::make_option(const CLI::Option* opt, bool is_positional) const {
  return two_columns(make_option_name(opt, is_positional) + make_option_opts(opt),
                     make_option_desc(opt));
}

std::string help_formatter::make_option_name(const CLI::Option* opt, bool is_positional) const {
  // CLI11 spells a flag's value when given bare into its name
  // ("--keepalive{on}"); the value list after the name says it plainly.
  std::string name = CLI::Formatter::make_option_name(opt, is_positional);
  for (auto open = name.find('{'); open != std::string::npos; open = name.find('{', open)) {
    const auto close = name.find('}', open);
    if (close == std::string::npos)
      break;
    name.erase(open, close - open + 1);
  }
  return name;
}

std::string help_formatter::make_option_opts(const CLI::Option* opt) const {
  const auto value = describe_value(*opt);
  std::string out;
  if (opt->get_positional())  // its name is what it holds
    return opt->get_expected_max() >= CLI::detail::expected_max_vector_size ? " ..." : "";
  if (!value.name.empty())
    out += (value.name.front() == '[' ? "" : " ") + value.name;
  if (opt->get_required() && !opt->get_positional())
    out += " (required)";
  return out;
}

std::string help_formatter::make_option_desc(const CLI::Option* opt) const {
  std::string out = opt->get_description();
  const auto value = describe_value(*opt);
  if (!value.note.empty())
    out += " (" + value.note + ")";
  if (opt->get_expected_max() != 0 && !opt->get_default_str().empty())
    out += " [default: " + opt->get_default_str() + "]";
  else if (const auto name = CLI::Formatter::make_option_name(opt, false);
           name.find('{') != std::string::npos && name.find('}') > name.find('{'))
    out += " [alone: " + name.substr(name.find('{') + 1, name.find('}') - name.find('{') - 1) + "]";
  if (!opt->get_envname().empty())
    out += " [env: " + opt->get_envname() + "]";
  return out;
}

std::string help_formatter::make_subcommand(const CLI::App* sub) const {
  return two_columns(sub->get_display_name(true), sub->get_description());
}

std::string help_formatter::make_footer(const CLI::App* app) const {
  std::string text = app->get_footer();
  if (!footer_.empty())
    text += (text.empty() ? "" : "\n") + footer_;
  return text.empty() ? std::string() : paragraph(text);
}

}  // namespace poolbench::cli
