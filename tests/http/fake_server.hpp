#pragma once
// Test support: a tiny misbehaving HTTP server on 127.0.0.1, port 0, for the
// cases poolbench-server never produces (wrong bodies, closed connections,
// silence). One thread per connection; stop() joins them all.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace poolbench::testing {

struct fake_reply {
  enum class action { answer, close, hang } what = action::answer;
  std::string bytes;  // the raw HTTP response for action::answer
};

// "HTTP/1.1 <status> X\r\nContent-Length: ..\r\n\r\n<body>".
[[nodiscard]] std::string raw_http_response(unsigned status, std::string_view body);

// A backend's refusal: `status` (429 or 503) with "Retry-After: <seconds>".
[[nodiscard]] fake_reply rejection_reply(unsigned status, unsigned retry_after_s);

// Answers like poolbench-server: 200 "Hello, <decoded name>".
[[nodiscard]] fake_reply hello_reply(std::string_view target);

class fake_server {
 public:
  using responder = std::function<fake_reply(std::string_view target)>;

  // Listens at once. After `requests_per_connection` answers a connection is
  // closed by the server (0 = never), to exercise keep-alive reconnection.
  explicit fake_server(responder respond, std::size_t requests_per_connection = 0);
  ~fake_server();  // stop()
  fake_server(const fake_server&) = delete;
  fake_server& operator=(const fake_server&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string url() const;
  [[nodiscard]] std::size_t connections() const { return connections_; }
  [[nodiscard]] std::size_t requests() const { return requests_; }
  void stop();

 private:
  void accept_loop();
  void serve(int fd);

  responder respond_;
  std::size_t requests_per_connection_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> requests_{0};
  std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace poolbench::testing
