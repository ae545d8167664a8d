#include <poolbench/http/percent_encoding.hpp>

#include <gtest/gtest.h>

namespace {

using poolbench::http::percent_decode;
using poolbench::http::percent_encode;

TEST(PercentEncoding, UnreservedCharactersPassThrough) {
  EXPECT_EQ(percent_encode("romeo-1.2_~x"), "romeo-1.2_~x");
}

TEST(PercentEncoding, EncodesEverythingElseAsUpperHex) {
  EXPECT_EQ(percent_encode("a b/c?d"), "a%20b%2Fc%3Fd");
  EXPECT_EQ(percent_encode("Jürgen"), "J%C3%BCrgen");
  EXPECT_EQ(percent_encode(std::string("\0\r\n", 3)), "%00%0D%0A");
}

TEST(PercentDecoding, DecodesUpperAndLowerHex) {
  EXPECT_EQ(percent_decode("J%C3%BCrgen"), "Jürgen");
  EXPECT_EQ(percent_decode("J%c3%bcrgen"), "Jürgen");
  EXPECT_EQ(percent_decode(""), "");
}

TEST(PercentDecoding, PlusIsLiteralInAPath) {
  EXPECT_EQ(percent_decode("a+b"), "a+b");
}

TEST(PercentDecoding, RejectsMalformedEscapes) {
  EXPECT_FALSE(percent_decode("%"));
  EXPECT_FALSE(percent_decode("abc%4"));
  EXPECT_FALSE(percent_decode("%zz"));
  EXPECT_FALSE(percent_decode("%4g"));
}

TEST(PercentEncoding, RoundTripsEveryByte) {
  std::string all;
  for (int c = 0; c < 256; ++c)
    all.push_back(static_cast<char>(c));
  EXPECT_EQ(percent_decode(percent_encode(all)), all);
}

}  // namespace
