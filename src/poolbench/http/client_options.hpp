#pragma once
// What both HTTP clients are told: how to use connections, how long to wait,
// what a correct answer is, and how to retry a backend's 429 and 503.

#include <poolbench/http/answer_check.hpp>
#include <poolbench/http/retry_policy.hpp>

#include <chrono>
#include <cstddef>

namespace poolbench::http {

enum class connection {
  fresh,       // a new TCP connection per request ("Connection: close"), as the
               // article's tornado HTTPClient/AsyncHTTPClient did
  keep_alive,  // one connection per client, reused; reopened when the server closed it
};

struct client_options {
  connection mode = connection::fresh;
  std::chrono::milliseconds connect_timeout{5'000};
  // From sending the request to the end of the answer; must exceed any
  // ?delay_ms the benchmark asks for.
  std::chrono::milliseconds read_timeout{30'000};
  std::size_t max_body_bytes = 64 * 1024;  // a hello answer is tiny; refuse floods
  answer_check expect{};                   // checked by get_hello (default: the hello protocol)
  retry_policy retry{};                    // for 429 and 503, in get_hello
};

}  // namespace poolbench::http
