#pragma once
// Test support: a blocking TCP connection to 127.0.0.1 that sends raw bytes
// and reads raw HTTP/1.1 responses, so tests see exactly what the wire holds.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace poolbench::testing {

struct raw_response {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string raw_head;  // status line and header fields as received
};

class raw_connection {
 public:
  // Connects to 127.0.0.1:port; every read waits at most `timeout`.
  explicit raw_connection(std::uint16_t port,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  void send(const std::string& bytes);
  // Reads one response; `head_request` means no body follows the header.
  // Returns nullopt if the peer closed (or the read timed out) first.
  std::optional<raw_response> read_response(bool head_request = false);
  // True when the peer has closed: a read returns end of stream (or reset)
  // within the timeout. Any data read first is discarded.
  bool closed_by_peer();
  // True if bytes have arrived that no read_response() has consumed yet;
  // never waits.
  [[nodiscard]] bool has_unread_bytes();
  // Waits (at most `timeout`) until the server has read every byte sent so
  // far: its end of this connection in /proc/net/tcp has an empty receive
  // queue. An event to order on instead of a sleep. False on timeout.
  [[nodiscard]] bool wait_until_read_by_peer(std::chrono::milliseconds timeout);

 private:
  bool fill();  // reads more bytes into buffer_; false on EOF/error/timeout
  int fd_ = -1;
  std::string buffer_;
};

// One request on a fresh connection: convenience for the common case.
std::optional<raw_response> fetch(std::uint16_t port, const std::string& request);

}  // namespace poolbench::testing
