#include <poolbench/http/url.hpp>

#include <gtest/gtest.h>

#include <stdexcept>

namespace poolbench::http {
namespace {

TEST(url, parses_ipv4_with_port_path_and_query) {
  const auto u = url::parse("http://127.0.0.1:8080/api/v1?token=x");
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.path, "/api/v1");
  EXPECT_EQ(u.query, "token=x");
  EXPECT_EQ(u.to_string(), "http://127.0.0.1:8080/api/v1?token=x");
}

TEST(url, defaults_port_80_and_path_slash) {
  const auto u = url::parse("http://localhost");
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, 80);
  EXPECT_EQ(u.path, "/");
  EXPECT_EQ(u.query, "");
  EXPECT_EQ(u.to_string(), "http://localhost:80/");
}

TEST(url, parses_bracketed_ipv6) {
  const auto u = url::parse("http://[::1]:9000/");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 9000);
  EXPECT_TRUE(u.is_ipv6_literal());
  EXPECT_EQ(u.authority(), "[::1]:9000");
  EXPECT_EQ(url::parse("http://[::1]").port, 80);
}

TEST(url, query_without_path) {
  const auto u = url::parse("http://h:1?a=b");
  EXPECT_EQ(u.path, "/");
  EXPECT_EQ(u.query, "a=b");
}

TEST(url, drops_fragment) {
  EXPECT_EQ(url::parse("http://h:1/p#frag").path, "/p");
}

TEST(url, hello_target_encodes_name_and_adds_delay) {
  EXPECT_EQ(url::parse("http://h:1").hello_target("romeo", 0), "/romeo");
  EXPECT_EQ(url::parse("http://h:1/").hello_target("a b/c", 5), "/a%20b%2Fc?delay_ms=5");
  EXPECT_EQ(url::parse("http://h:1/base").hello_target("x", 0), "/base/x");
  EXPECT_EQ(url::parse("http://h:1/base/?k=v").hello_target("x", 10), "/base/x?k=v&delay_ms=10");
}

TEST(url, rejects_bad_input_with_clear_messages) {
  const char* bad[] = {
      "",
      "127.0.0.1:8080",
      "https://example.com/",
      "ftp://x",
      "http://",
      "http://:80/",
      "http://host:/",
      "http://host:0/",
      "http://host:65536/",
      "http://host:80x/",
      "http://host:-1/",
      "http://[::1/",
      "http://[not-v6]:80/",
      "http://[127.0.0.1]/",
      "http://[::1]x/",
      "http://user@host/",
      "http://ho st/",
      "http://host/a b",
      "http://host/\x01",
  };
  for (const char* text : bad) {
    try {
      (void)url::parse(text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("invalid URL '"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace poolbench::http
