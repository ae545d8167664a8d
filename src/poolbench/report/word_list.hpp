#pragma once
// Words as a sentence lists them: "a", "a and b", "a, b and c" (or "or").

#include <string>
#include <string_view>
#include <vector>

namespace poolbench::report {

[[nodiscard]] inline std::string word_list(const std::vector<std::string>& words,
                                           std::string_view last_joint) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && i + 1 == words.size())
      out.append(" ").append(last_joint).append(" ");
    else if (i > 0)
      out.append(", ");
    out.append(words[i]);
  }
  return out;
}

}  // namespace poolbench::report
