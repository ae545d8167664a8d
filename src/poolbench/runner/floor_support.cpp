#include <poolbench/runner/floor_support.hpp>

#include <poolbench/http/request_error.hpp>
#include <poolbench/http/retry_policy.hpp>

#include <netdb.h>
#include <strings.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace poolbench::runner::floor_support {

using kind = http::request_error::kind;

endpoint resolve(const http::url& server) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(server.port);
  if (::getaddrinfo(server.host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr)
    throw http::request_error(kind::cannot_connect, server.to_string(), "cannot resolve host");
  endpoint e;
  std::memcpy(&e.address, found->ai_addr, found->ai_addrlen);
  e.length = found->ai_addrlen;
  e.family = found->ai_family;
  ::freeaddrinfo(found);
  return e;
}

void prepare(slot& s, const http::url& server, bool keepalive, std::chrono::microseconds delay) {
  const std::string target = server.hello_target(s.name, delay);
  s.url = "http://" + server.authority() + target;
  s.request = "GET " + target + " HTTP/1.1\r\nHost: " + server.authority() + "\r\n" +
              (keepalive ? "" : "Connection: close\r\n") + "\r\n";
}

std::vector<slot> slots_of(const bench_case& c, const http::url& server) {
  std::vector<slot> slots;
  slots.reserve(c.names.size());
  for (const auto& name : c.names) {
    slot s;
    s.name = name;
    prepare(s, server, c.keep_alive(), std::chrono::milliseconds(c.delay_ms));
    slots.push_back(std::move(s));
  }
  return slots;
}

std::size_t lanes_of(const bench_case& c) {
  return std::clamp<std::size_t>(c.workers, 1, std::max<std::size_t>(c.names.size(), 1));
}

bool parse_response(const std::string& in, const std::string& url, unsigned& status,
                    std::string& body) {
  const auto end = in.find("\r\n\r\n");
  if (end == std::string::npos)
    return false;
  if (in.compare(0, 9, "HTTP/1.1 ") != 0 && in.compare(0, 9, "HTTP/1.0 ") != 0)
    throw http::request_error(kind::io, url, "not an HTTP answer");
  status = static_cast<unsigned>(std::atoi(in.c_str() + 9));
  std::size_t length = std::string::npos;
  for (std::size_t line = in.find("\r\n") + 2; line < end;) {
    const auto next = in.find("\r\n", line);
    if (strncasecmp(in.c_str() + line, "content-length:", 15) == 0)
      length = std::strtoul(in.c_str() + line + 15, nullptr, 10);
    line = next + 2;
  }
  if (length == std::string::npos)
    throw http::request_error(kind::io, url, "answer without Content-Length");
  if (in.size() < end + 4 + length)
    return false;
  body = in.substr(end + 4, length);
  return true;
}

void check_answer(const http::answer_check& expect, const slot& s, unsigned status) {
  // The floor keeps the whole batch in flight and never waits: a backend's
  // refusal fails its round (as a refusal, not as a wrong answer).
  if (http::is_rejection(status))
    throw http::request_error(
        kind::rejected, s.url,
        "got " + std::to_string(status) + ": the floor does not retry a backend's refusals");
  expect.check(s.url, s.name, status, s.body);
}

round_result result_of(std::vector<slot>& slots, std::int64_t submit_ns) {
  round_result result;
  result.reserve(slots.size());
  result.attempts = slots.size();  // one answer each: the floor never retries
  for (auto& s : slots) {
    result.bodies.push_back(std::move(s.body));
    result.queue.push_back(static_cast<double>(s.start_ns - submit_ns) * 1e-9);
    result.service.push_back(static_cast<double>(s.done_ns - s.start_ns) * 1e-9);
  }
  return result;
}

}  // namespace poolbench::runner::floor_support
