#include <poolbench/executor/detail/frame.hpp>

#include <cstring>
#include <stdexcept>

namespace poolbench::detail {

void seal_frame(std::string& message, std::size_t limit) {
  const std::size_t body = message.size() - frame_header_size;
  if (body > limit || body > max_frame_body) {
    throw std::length_error("process_pool_executor: message of " + std::to_string(body) +
                            " bytes is over the " + std::to_string(limit) + "-byte limit");
  }
  const auto length = static_cast<std::uint32_t>(body);
  std::memcpy(message.data(), &length, sizeof length);
}

void frame_splitter::append(const char* data, std::size_t size) {
  // Drop what was handed out before growing, so the buffer stays the size of
  // the largest message in flight, not of the whole stream.
  if (consumed_ > 0 && consumed_ >= buffer_.size() / 2) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(data, size);
}

bool frame_splitter::next(std::string& body) {
  const std::size_t available = buffer_.size() - consumed_;
  if (available < frame_header_size) {
    return false;
  }
  std::uint32_t length = 0;
  std::memcpy(&length, buffer_.data() + consumed_, frame_header_size);
  if (available - frame_header_size < length) {
    return false;
  }
  body.assign(buffer_, consumed_ + frame_header_size, length);
  consumed_ += frame_header_size + length;
  return true;
}

void frame_splitter::clear() noexcept {
  buffer_.clear();
  consumed_ = 0;
}

}  // namespace poolbench::detail
