#pragma once

#include <stdexcept>
#include <string>

namespace poolbench::report {

// A result file that cannot be used: unreadable, truncated, not benchmark
// JSON. The message names the file and the problem on one line; programs map
// it to exit code 2.
class input_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request the library cannot honour (unknown column, sort key, format).
// Also exit code 2.
class usage_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace poolbench::report
