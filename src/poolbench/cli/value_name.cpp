#include <poolbench/cli/value_name.hpp>

#include <string_view>
#include <vector>

namespace poolbench::cli {
namespace {

std::vector<std::string> split_type_name(const std::string& full) {
  // CLI11 joins the type and each check's description with ':'; a set may
  // itself hold ':' only inside its braces.
  std::vector<std::string> parts;
  std::string part;
  int depth = 0;
  for (const char c : full) {
    if (c == '{' || c == '[')
      ++depth;
    else if (c == '}' || c == ']')
      --depth;
    if (c == ':' && depth == 0) {
      parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  parts.push_back(part);
  return parts;
}

std::string base_name(const std::string& type) {
  if (type == "UINT" || type == "INT")
    return "N";
  if (type == "FLOAT")
    return "X";
  if (type.empty() || type == "TEXT" || type == "FILE" || type == "DIR" || type == "PATH")
    return type.empty() ? "TEXT" : type;
  return type;  // a type CLI11 named some other way: left as it is
}

// "INT in [1 - 1000000]" or "FLOAT in [0.001 - 1e+07]" -> "1 to 1000000".
std::string range_note(std::string_view check) {
  const auto open = check.find(" in [");
  const auto dash = check.find(" - ", open);
  const auto close = check.rfind(']');
  if (open == check.npos || dash == check.npos || close == check.npos || close < dash)
    return {};
  return std::string(check.substr(open + 5, dash - open - 5)) + " to " +
         std::string(check.substr(dash + 3, close - dash - 3));
}

}  // namespace

value_text describe_value(const CLI::Option& option) {
  value_text out;
  const bool list = option.get_expected_max() >= CLI::detail::expected_max_vector_size;
  const auto parts = split_type_name(option.get_type_name());
  std::string name = base_name(parts.front());
  std::string set;
  for (std::size_t k = 1; k < parts.size(); ++k) {
    const std::string& check = parts[k];
    if (!check.empty() && check.front() == '{') {
      set = check;  // a set says more than its element type
    } else if (const auto range = range_note(check); !range.empty()) {
      out.note = range;
    } else if (check == "POSITIVE") {
      out.note = "> 0";
    } else if (check == "NONNEGATIVE") {
      out.note = ">= 0";
    }
  }
  if (!set.empty())
    name = set;
  if (option.get_expected_max() == 0)  // a flag: a value only as --flag=VALUE
    name = set.empty() ? std::string() : "[=" + set + "]";
  if (!option.get_option_text().empty())
    name = option.get_option_text();
  if (!name.empty() && list)
    name += " ...";
  out.name = name;
  return out;
}

}  // namespace poolbench::cli
