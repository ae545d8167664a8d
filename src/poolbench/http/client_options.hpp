#pragma once
// What both HTTP clients are told: how to use connections, and how long to wait.

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
};

}  // namespace poolbench::http
