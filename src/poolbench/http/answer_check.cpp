#include <poolbench/http/answer_check.hpp>
#include <poolbench/http/request_error.hpp>
#include <poolbench/http/response_check.hpp>

#include <stdexcept>

namespace poolbench::http {
namespace {

bool is_success(unsigned status) {
  return status >= 200 && status < 300;
}

}  // namespace

answer_check answer_check::parse(std::string_view spec) {
  answer_check check;
  constexpr std::string_view regex_prefix = "regex:";
  if (spec == "hello")
    return check;
  if (spec == "status") {
    check.kind_ = kind::status;
    return check;
  }
  if (spec.substr(0, regex_prefix.size()) == regex_prefix) {
    check.kind_ = kind::regex;
    check.pattern_ = std::string(spec.substr(regex_prefix.size()));
    if (check.pattern_.empty())
      throw std::invalid_argument("--expect regex: needs an expression after 'regex:'");
    try {
      check.regex_ = std::make_shared<const std::regex>(check.pattern_, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      throw std::invalid_argument("--expect '" + std::string(spec) +
                                  "': not a valid regular expression (" + e.what() + ")");
    }
    return check;
  }
  throw std::invalid_argument("--expect '" + std::string(spec) +
                              "': expected hello, status or regex:RE");
}

std::string answer_check::to_string() const {
  switch (kind_) {
    case kind::hello:
      return "hello";
    case kind::status:
      return "status";
    case kind::regex:
      return "regex:" + pattern_;
  }
  return "hello";
}

bool answer_check::accepts(std::string_view name, unsigned status, std::string_view body) const {
  switch (kind_) {
    case kind::hello:
      return is_hello_response(name, status, body);
    case kind::status:
      return is_success(status);
    case kind::regex:
      return is_success(status) && std::regex_search(body.begin(), body.end(), *regex_);
  }
  return false;
}

void answer_check::check(const std::string& request_url, std::string_view name, unsigned status,
                         std::string_view body) const {
  if (accepts(name, status, body))
    return;
  if (kind_ == kind::hello)
    check_hello_response(request_url, name, status, body);  // throws, saying what was expected
  std::string detail = kind_ == kind::status
                           ? "expected a 2xx status, got "
                           : "expected a 2xx answer matching /" + pattern_ + "/, got ";
  detail += std::to_string(status) + " '" + printable_excerpt(body) + "'";
  throw wrong_answer(request_url, std::move(detail));
}

}  // namespace poolbench::http
