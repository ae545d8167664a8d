#include <poolbench/http/request_error.hpp>
#include <poolbench/http/response_check.hpp>

#include <gtest/gtest.h>

namespace poolbench::http {
namespace {

TEST(response_check, accepts_exact_hello) {
  EXPECT_NO_THROW(check_hello_response("http://h:1/romeo", "romeo", 200, "Hello, romeo"));
}

TEST(response_check, wrong_body_names_request_and_both_bodies) {
  try {
    check_hello_response("http://h:1/romeo", "romeo", 200, "Hello, juliet");
    FAIL() << "accepted a wrong body";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), request_error::kind::bad_response);
    EXPECT_STREQ(e.what(),
                 "GET http://h:1/romeo: expected 200 'Hello, romeo', got 200 'Hello, juliet'");
  }
}

TEST(response_check, wrong_status_is_an_error_even_with_right_body) {
  EXPECT_THROW(check_hello_response("u", "romeo", 201, "Hello, romeo"), request_error);
  EXPECT_THROW(check_hello_response("u", "romeo", 500, ""), request_error);
}

TEST(response_check, near_misses_are_errors) {
  EXPECT_THROW(check_hello_response("u", "romeo", 200, "Hello, romeo\n"), request_error);
  EXPECT_THROW(check_hello_response("u", "romeo", 200, "hello, romeo"), request_error);
  EXPECT_THROW(check_hello_response("u", "romeo", 200, "Hello,romeo"), request_error);
}

TEST(response_check, excerpt_escapes_and_truncates) {
  EXPECT_EQ(printable_excerpt("a\nb"), "a\\x0Ab");
  EXPECT_EQ(printable_excerpt(std::string(100, 'x'), 4), "xxxx... (100 bytes)");
}

}  // namespace
}  // namespace poolbench::http
