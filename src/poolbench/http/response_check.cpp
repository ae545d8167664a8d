#include <poolbench/http/request_error.hpp>
#include <poolbench/http/response_check.hpp>

#include <cstdio>

namespace poolbench::http {

std::string expected_body(std::string_view name) {
  return "Hello, " + std::string(name);
}

std::string printable_excerpt(std::string_view text, std::size_t max) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", c);
      out += escaped;
    }
  }
  if (text.size() > max)
    out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

bool is_hello_response(std::string_view name, unsigned status, std::string_view body) noexcept {
  constexpr std::string_view greeting = "Hello, ";
  return status == 200 && body.size() == greeting.size() + name.size() &&
         body.substr(0, greeting.size()) == greeting && body.substr(greeting.size()) == name;
}

void check_hello_response(const std::string& request_url, std::string_view name, unsigned status,
                          std::string_view body) {
  if (is_hello_response(name, status, body))
    return;
  const std::string expected = expected_body(name);
  std::string detail = "expected 200 '" + printable_excerpt(expected) + "', got " +
                       std::to_string(status) + " '" + printable_excerpt(body) + "'";
  throw wrong_answer(request_url, std::move(detail));
}

}  // namespace poolbench::http
