#include <poolbench/cli/parse_error.hpp>

#include <cstdlib>
#include <string_view>

namespace poolbench::cli {
namespace {

std::string subcommand_names(const CLI::App& app) {
  std::string out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name().empty() || sub->get_disabled())
      continue;
    out += (out.empty() ? "" : ", ") + sub->get_name();
  }
  return out;
}

// The arguments CLI11 listed after "...not expected: ", space-separated.
std::vector<std::string> unexpected_arguments(std::string_view message) {
  std::vector<std::string> out;
  const auto colon = message.find(": ");
  if (colon == message.npos)
    return out;
  std::string_view rest = message.substr(colon + 2);
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    if (space != 0)
      out.emplace_back(rest.substr(0, space));
    if (space == rest.npos)
      break;
    rest.remove_prefix(space + 1);
  }
  return out;
}

std::string describe_unexpected(const std::vector<std::string>& arguments) {
  std::string out;
  for (const auto& argument : arguments) {
    out += out.empty() ? "" : "; ";
    out += (argument.size() > 1 && argument.front() == '-' ? "unknown option '"
                                                           : "unexpected argument '") +
           argument + "'";
  }
  return out;
}

// The subcommand the user chose, or `app` when none was.
const CLI::App& chosen(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    if (sub != nullptr)
      return chosen(*sub);
  }
  return app;
}

// CLI11's Range check reads "abc" as out of range ("--workers: Value abc
// not in range 1 to 4096"); say that it is not a number at all.
std::string not_a_number(const std::string& message) {
  const auto value_at = message.find("Value ");
  const auto range_at = message.find(" not in range ");
  if (value_at == std::string::npos || range_at == std::string::npos || range_at < value_at)
    return {};
  const std::string value = message.substr(value_at + 6, range_at - value_at - 6);
  char* end = nullptr;
  (void)std::strtod(value.c_str(), &end);
  if (!value.empty() && end != nullptr && *end == '\0')
    return {};  // a number, truly out of range: CLI11's message says so
  const std::string option = message.substr(0, value_at);  // "--workers: "
  return option + "'" + value + "' is not a number (range " + message.substr(range_at + 14) + ")";
}

}  // namespace

std::string parse_error_message(const CLI::App& app, const CLI::ParseError& error) {
  const std::string message = error.what();
  const CLI::App& at = chosen(app);
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr &&
      at.get_require_subcommand_min() > 0 && at.get_subcommands().empty()) {
    // CLI11 leaves the word that was not a subcommand among the extras.
    for (const auto& word : at.remaining()) {
      if (!word.empty() && word.front() != '-')
        return "unknown command '" + word + "' (commands: " + subcommand_names(at) + ")";
    }
    return "a command is required: " + subcommand_names(at);
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    const auto arguments = unexpected_arguments(message);
    if (!arguments.empty())
      return describe_unexpected(arguments);
  }
  if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) {
    if (auto text = not_a_number(message); !text.empty())
      return text;
  }
  return message;
}

}  // namespace poolbench::cli
