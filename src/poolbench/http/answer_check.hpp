#pragma once
// What a correct answer is (poolbench --expect): the hello protocol of
// poolbench-server and the article's tornado server, any 2xx from a server
// of your own, or a 2xx whose body matches a regular expression.

#include <memory>
#include <regex>
#include <string>
#include <string_view>

namespace poolbench::http {

class answer_check {
 public:
  enum class kind {
    hello,   // 200 and exactly "Hello, <name>" (the default)
    status,  // any 2xx status, whatever the body
    regex,   // a 2xx status and a body in which the expression finds a match
  };

  answer_check() = default;  // hello

  // "hello", "status" or "regex:RE" (RE in std::regex's ECMAScript grammar).
  // Throws std::invalid_argument with a one-line reason.
  [[nodiscard]] static answer_check parse(std::string_view spec);

  [[nodiscard]] kind what() const noexcept { return kind_; }
  [[nodiscard]] bool is_hello() const noexcept { return kind_ == kind::hello; }
  // The spec as parse() takes it back.
  [[nodiscard]] std::string to_string() const;

  // True if the answer to the request for `name` is correct. The hello check
  // allocates nothing (is_hello_response).
  [[nodiscard]] bool accepts(std::string_view name, unsigned status, std::string_view body) const;

  // Throws wrong_answer (a request_error of kind::bad_response) naming
  // `request_url` unless accepts().
  void check(const std::string& request_url, std::string_view name, unsigned status,
             std::string_view body) const;

 private:
  kind kind_ = kind::hello;
  std::string pattern_;
  // Shared: every client holds a copy of its options, and an expression is
  // compiled once.
  std::shared_ptr<const std::regex> regex_;
};

}  // namespace poolbench::http
