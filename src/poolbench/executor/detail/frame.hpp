#pragma once
// Message framing between a process pool and its workers: every message is
// [u32 body length][body], in both directions.

#include <cstddef>
#include <cstdint>
#include <string>

namespace poolbench::detail {

inline constexpr std::size_t frame_header_size = sizeof(std::uint32_t);
inline constexpr std::size_t max_frame_body = UINT32_MAX;

// `message` starts with frame_header_size placeholder bytes; writes the body
// length there. Throws std::length_error when the body exceeds `limit`.
void seal_frame(std::string& message, std::size_t limit = max_frame_body);

// Cuts a byte stream into message bodies, however the bytes were split by
// the socket: append what arrived, then take every complete body.
class frame_splitter {
 public:
  void append(const char* data, std::size_t size);
  // Moves the next complete body into `body`; false when none is complete.
  bool next(std::string& body);
  [[nodiscard]] bool empty() const noexcept { return buffer_.size() == consumed_; }
  void clear() noexcept;

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;  // bytes of buffer_ already handed out
};

}  // namespace poolbench::detail
