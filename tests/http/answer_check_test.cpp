// --expect and --path as the clients see them: what a correct answer is,
// and where a name goes in the request's target.

#include <poolbench/http/answer_check.hpp>
#include <poolbench/http/request_error.hpp>
#include <poolbench/http/url.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace poolbench::http {
namespace {

TEST(answer_check, hello_is_the_default_and_wants_200_and_the_exact_body) {
  const answer_check hello;
  EXPECT_TRUE(hello.is_hello());
  EXPECT_EQ(hello.to_string(), "hello");
  EXPECT_TRUE(hello.accepts("romeo", 200, "Hello, romeo"));
  EXPECT_FALSE(hello.accepts("romeo", 200, "Hello, tybalt"));
  EXPECT_FALSE(hello.accepts("romeo", 201, "Hello, romeo"));
  EXPECT_EQ(answer_check::parse("hello").what(), answer_check::kind::hello);
}

TEST(answer_check, status_takes_any_2xx_whatever_the_body) {
  const auto status = answer_check::parse("status");
  EXPECT_EQ(status.to_string(), "status");
  EXPECT_TRUE(status.accepts("romeo", 200, "{\"id\": 7}"));
  EXPECT_TRUE(status.accepts("romeo", 204, ""));
  EXPECT_FALSE(status.accepts("romeo", 404, "Hello, romeo"));
  EXPECT_FALSE(status.accepts("romeo", 503, ""));
  try {
    status.check("http://h:1/romeo", "romeo", 404, "not here");
    FAIL() << "a 404 passed";
  } catch (const request_error& e) {
    EXPECT_EQ(e.why(), request_error::kind::bad_response);
    EXPECT_STREQ(e.what(), "GET http://h:1/romeo: expected a 2xx status, got 404 'not here'");
  }
}

TEST(answer_check, regex_wants_a_2xx_and_a_match_anywhere_in_the_body) {
  const auto re = answer_check::parse("regex:\"user\": *\"[a-z]+\"");
  EXPECT_EQ(re.to_string(), "regex:\"user\": *\"[a-z]+\"");
  EXPECT_TRUE(re.accepts("romeo", 200, "{\"user\": \"romeo\"}"));
  EXPECT_FALSE(re.accepts("romeo", 200, "{\"user\": 7}"));
  EXPECT_FALSE(re.accepts("romeo", 500, "{\"user\": \"romeo\"}"));
  try {
    re.check("http://h:1/romeo", "romeo", 200, "{}");
    FAIL() << "a body without a match passed";
  } catch (const request_error& e) {
    EXPECT_NE(std::string(e.what()).find("matching /\"user\": *\"[a-z]+\"/, got 200 '{}'"),
              std::string::npos)
        << e.what();
  }
}

TEST(answer_check, a_bad_spec_is_one_clear_line) {
  EXPECT_THROW((void)answer_check::parse("regex:("), std::invalid_argument);
  EXPECT_THROW((void)answer_check::parse("regex:"), std::invalid_argument);
  try {
    (void)answer_check::parse("json");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--expect 'json': expected hello, status or regex:RE");
  }
}

TEST(path_template, puts_the_encoded_name_at_its_place_and_keeps_query_and_delay) {
  const auto server = url::parse("http://127.0.0.1:8080/?key=1");
  const auto api = url::parse("http://127.0.0.1:8080").with_path_template("/api/v1/users/{name}");
  EXPECT_EQ(api.hello_target("romeo", 0), "/api/v1/users/romeo");
  EXPECT_EQ(api.hello_target("a b/c", 5), "/api/v1/users/a%20b%2Fc?delay_ms=5");
  const auto middle = server.with_path_template("/users/{name}/profile");
  EXPECT_EQ(middle.hello_target("romeo", 2), "/users/romeo/profile?key=1&delay_ms=2");
  // The default, "/{name}" after the URL's path, is today's target.
  EXPECT_EQ(url::parse("http://h:1").with_path_template("/{name}").hello_target("romeo", 1),
            url::parse("http://h:1").hello_target("romeo", 1));
  EXPECT_EQ(url::parse("http://h:1/base").hello_target("romeo", 0), "/base/romeo");
}

TEST(path_template, refuses_what_is_not_a_template) {
  const url u = url::parse("http://h:1");
  for (const char* bad :
       {"api/{name}", "/api/users", "/{name}/{name}", "/a?b={name}", "/a b/{name}", ""}) {
    EXPECT_THROW((void)u.with_path_template(bad), std::invalid_argument) << bad;
  }
  try {
    (void)u.with_path_template("/users");
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--path '/users': must contain {name}, where each request's name goes");
  }
}

}  // namespace
}  // namespace poolbench::http
