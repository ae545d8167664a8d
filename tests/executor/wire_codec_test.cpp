#include <poolbench/executor/wire_codec.hpp>

#include <gtest/gtest.h>

namespace {

TEST(wire_codec, round_trips_a_string) {
  std::string buf;
  poolbench::wire::encode(buf, std::string("hello"));
  EXPECT_EQ(poolbench::wire::decode<std::string>(std::string_view(buf)), "hello");
}

}  // namespace
