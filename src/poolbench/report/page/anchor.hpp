#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace poolbench::report {

// GitHub's anchor of a heading: lower case, spaces to '-', other
// punctuation dropped. The page links its own sections by it.
inline std::string anchor_of(std::string_view heading) {
  std::string out;
  for (char c : heading) {
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (c == ' ' || c == '-')
      out += '-';
  }
  return out;
}

}  // namespace poolbench::report
