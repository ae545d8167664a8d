#pragma once
// A response parser that keeps only what the clients use: the status, the
// body, and Retry-After (for a backend's 429 and 503). Beast's response_parser stores every header
// field in a basic_fields, one allocation per field per response; the clients read none of them
// (keep-alive, Content-Length and chunking are the base parser's), and on a keep-alive run those
// allocations were a large share of the client's own CPU per request, the instrument's cost
// (results/PERFORMANCE.md).

#include <poolbench/http/retry_policy.hpp>

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/field.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace poolbench::http {

class lean_response_parser : public boost::beast::http::basic_parser<false> {
 public:
  [[nodiscard]] unsigned status() const noexcept { return status_; }
  [[nodiscard]] std::string& body() noexcept { return body_; }
  [[nodiscard]] std::optional<std::uint32_t> retry_after_s() const noexcept {
    return retry_after_s_;
  }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                       error_code&) override {}
  void on_response_impl(int code, string_view, int, error_code&) override {
    status_ = static_cast<unsigned>(code);
  }
  void on_field_impl(boost::beast::http::field f, string_view, string_view value,
                     error_code&) override {
    if (f == boost::beast::http::field::retry_after)
      retry_after_s_ = parse_retry_after({value.data(), value.size()});
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code&) override {
    // body_limit() has already refused a larger Content-Length.
    if (content_length)
      body_.reserve(static_cast<std::size_t>(*content_length));
  }
  std::size_t on_body_impl(string_view part, error_code&) override {
    body_.append(part.data(), part.size());
    return part.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view part, error_code&) override {
    body_.append(part.data(), part.size());
    return part.size();
  }
  void on_finish_impl(error_code&) override {}

  unsigned status_ = 0;
  std::string body_;
  std::optional<std::uint32_t> retry_after_s_;
};

}  // namespace poolbench::http
