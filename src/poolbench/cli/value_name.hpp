#pragma once
// What help calls an option's value, instead of CLI11's type names with
// every check appended ("UINT:INT in [1 - 1000000]", ":{on,off,both}").

#include <CLI/CLI.hpp>

#include <string>

namespace poolbench::cli {

struct value_text {
  // "N", "X", "TEXT", "{on,off,both}", "N ..." for a list; "" for a flag,
  // "[={on,off,both}]" for a flag that may be given a value.
  std::string name;
  std::string note;  // what the checks allow, for the description: "1 to 1000000", "> 0"
};

// The option's own option_text when it set one; else the set of an
// IsMember check, or N (an integer), X (a real number) or TEXT, with " ..."
// when the option takes a list. Range and PositiveNumber checks become the
// note; other checks (file names, ...) are left out of the name.
[[nodiscard]] value_text describe_value(const CLI::Option& option);

}  // namespace poolbench::cli
