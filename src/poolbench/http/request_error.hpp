#pragma once
// The one exception both HTTP clients throw: it names the request (method and
// full URL) and says which step failed, so a benchmark can stop with a line a
// person can act on.

#include <stdexcept>
#include <string>

namespace poolbench::http {

class request_error : public std::runtime_error {
 public:
  enum class kind {
    cannot_connect,  // resolve or TCP connect failed (refused, unreachable, connect timeout)
    timeout,         // connected, but the answer did not arrive within the read timeout
    io,              // the connection broke mid-request, or the answer was not HTTP
    bad_response,    // an HTTP answer, but not the expected one (--expect)
    rejected,        // 429 or 503 on every attempt its retry policy allowed
  };

  // what() is "GET <request_url>: <detail>".
  request_error(kind k, std::string request_url, std::string detail)
      : std::runtime_error("GET " + request_url + ": " + detail),
        kind_(k),
        request_url_(std::move(request_url)),
        detail_(std::move(detail)) {}

  [[nodiscard]] kind why() const noexcept { return kind_; }
  [[nodiscard]] const std::string& request_url() const noexcept { return request_url_; }
  [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

 private:
  kind kind_;
  std::string request_url_;
  std::string detail_;
};

// An answer that is not the one --expect asks for (kind::bad_response): a
// type of its own, so that it is recognised where only an exception's type
// name survives (a process worker's error arrives as remote_task_error with
// the original type's name).
class wrong_answer : public request_error {
 public:
  wrong_answer(std::string request_url, std::string detail)
      : request_error(kind::bad_response, std::move(request_url), std::move(detail)) {}
};

}  // namespace poolbench::http
