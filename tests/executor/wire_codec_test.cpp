#include <poolbench/executor/wire_codec.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace {

namespace wire = poolbench::wire;

template <class T>
T round_trip(const T& value) {
  std::string buffer;
  wire::encode(buffer, value);
  return wire::decode<T>(std::string_view(buffer));
}

enum class color : std::uint8_t { red = 1, green = 2 };

TEST(wire_codec, round_trips_arithmetic_and_enums) {
  EXPECT_EQ(round_trip(42), 42);
  EXPECT_EQ(round_trip(std::numeric_limits<std::int64_t>::min()),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(round_trip(3.25), 3.25);
  EXPECT_EQ(round_trip(true), true);
  EXPECT_EQ(round_trip(color::green), color::green);
}

TEST(wire_codec, round_trips_strings_with_any_bytes) {
  EXPECT_EQ(round_trip(std::string()), "");
  const std::string binary("a\0b\xff", 4);
  EXPECT_EQ(round_trip(binary), binary);
  EXPECT_EQ(round_trip(std::string(100'000, 'x')).size(), 100'000u);
}

TEST(wire_codec, round_trips_byte_vectors) {
  const std::vector<std::byte> bytes{std::byte{0}, std::byte{255}};
  EXPECT_EQ(round_trip(bytes), bytes);
  const std::vector<std::uint8_t> u8{1, 2, 3};
  EXPECT_EQ(round_trip(u8), u8);
  const std::vector<char> chars{'h', 'i'};
  EXPECT_EQ(round_trip(chars), chars);
}

struct point {
  int x = 0;
  std::string label;
  bool operator==(const point&) const = default;
};
void to_json(nlohmann::json& j, const point& p) {
  j = {{"x", p.x}, {"label", p.label}};
}
void from_json(const nlohmann::json& j, point& p) {
  j.at("x").get_to(p.x);
  j.at("label").get_to(p.label);
}

TEST(wire_codec, falls_back_to_json_for_other_types) {
  const std::vector<int> ints{1, 2, 3};
  EXPECT_EQ(round_trip(ints), ints);
  const std::map<std::string, double> m{{"a", 1.5}};
  EXPECT_EQ(round_trip(m), m);
  EXPECT_EQ(round_trip(point{7, "seven"}), (point{7, "seven"}));
  const nlohmann::json j = {{"k", {1, "two", nullptr}}};
  EXPECT_EQ(round_trip(j), j);
}

TEST(wire_codec, several_values_decode_in_order) {
  std::string buffer;
  wire::encode(buffer, 1);
  wire::encode(buffer, std::string("two"));
  wire::encode(buffer, 3.0);
  wire::reader in(buffer);
  EXPECT_EQ(wire::decode<int>(in), 1);
  EXPECT_EQ(wire::decode<std::string>(in), "two");
  EXPECT_EQ(wire::decode<double>(in), 3.0);
  EXPECT_TRUE(in.empty());
}

TEST(wire_codec, truncated_or_oversized_input_is_a_clear_error) {
  std::string buffer;
  wire::encode(buffer, std::string("hello"));
  EXPECT_THROW((void)wire::decode<std::string>(std::string_view(buffer).substr(0, 6)),
               wire::decode_error);
  EXPECT_THROW((void)wire::decode<int>(std::string_view("ab")), wire::decode_error);
  EXPECT_THROW((void)wire::decode<std::int8_t>(std::string_view("ab")), wire::decode_error);
  std::string huge_length;
  wire::encode(huge_length, std::uint64_t{1} << 60);
  EXPECT_THROW((void)wire::decode<std::string>(std::string_view(huge_length)), wire::decode_error);
  std::string bad_cbor;
  wire::encode(bad_cbor, std::string("\xff\xff"));
  EXPECT_THROW((void)wire::decode<std::vector<int>>(std::string_view(bad_cbor)),
               wire::decode_error);
}

}  // namespace
