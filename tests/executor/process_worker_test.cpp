// The process pool's message framing and the worker's reply sealing.
#include <poolbench/executor/detail/frame.hpp>
#include <poolbench/executor/detail/process_worker.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace detail = poolbench::detail;
namespace wire = poolbench::wire;

std::string frame(const std::string& body) {
  std::string message(detail::frame_header_size, '\0');
  message += body;
  detail::seal_frame(message);
  return message;
}

TEST(frame_splitter, yields_the_same_bodies_however_the_bytes_arrive) {
  const std::vector<std::string> bodies{"", "a", std::string(70'000, 'b'), "last"};
  std::string stream;
  for (const auto& body : bodies) {
    stream += frame(body);
  }
  for (const std::size_t step :
       {std::size_t{1}, std::size_t{3}, std::size_t{4096}, stream.size()}) {
    detail::frame_splitter splitter;
    std::vector<std::string> seen;
    for (std::size_t at = 0; at < stream.size(); at += step) {
      splitter.append(stream.data() + at, std::min(step, stream.size() - at));
      for (std::string body; splitter.next(body);) {
        seen.push_back(body);
      }
    }
    EXPECT_EQ(seen, bodies) << "step " << step;
    EXPECT_TRUE(splitter.empty());
  }
}

TEST(frame_splitter, keeps_an_incomplete_message_for_later) {
  const std::string message = frame("hello");
  detail::frame_splitter splitter;
  std::string body;
  splitter.append(message.data(), message.size() - 1);
  EXPECT_FALSE(splitter.next(body));
  EXPECT_FALSE(splitter.empty());
  splitter.append(message.data() + message.size() - 1, 1);
  ASSERT_TRUE(splitter.next(body));
  EXPECT_EQ(body, "hello");
}

TEST(seal_frame, refuses_a_body_over_the_limit) {
  std::string message(detail::frame_header_size, '\0');
  message += std::string(17, 'x');
  EXPECT_THROW(detail::seal_frame(message, 16), std::length_error);
}

TEST(seal_reply, turns_an_oversized_result_into_an_error_for_its_own_future) {
  std::string reply(detail::frame_header_size, '\0');
  reply.push_back(detail::reply_ok);
  reply += std::string(300, 'r');
  detail::seal_reply(reply, 200);
  std::uint32_t length = 0;
  std::memcpy(&length, reply.data(), sizeof length);
  ASSERT_EQ(length, reply.size() - detail::frame_header_size);
  ASSERT_EQ(reply[detail::frame_header_size], detail::reply_error);
  wire::reader in(std::string_view(reply).substr(detail::frame_header_size + 1));
  EXPECT_EQ(wire::decode<std::string>(in), "std::length_error");
  EXPECT_NE(wire::decode<std::string>(in).find("over the 200-byte message limit"),
            std::string::npos);
}

TEST(seal_reply, leaves_a_result_within_the_limit_alone) {
  std::string reply(detail::frame_header_size, '\0');
  reply.push_back(detail::reply_ok);
  reply += "fine";
  detail::seal_reply(reply, 64);
  EXPECT_EQ(reply.substr(detail::frame_header_size), std::string(1, detail::reply_ok) + "fine");
}

}  // namespace
