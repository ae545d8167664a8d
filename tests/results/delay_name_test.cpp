// A delay spec's canonical text and name form turn into each other and back.

#include <poolbench/results/delay_name.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace poolbench::results {
namespace {

TEST(delay_name, every_kind_round_trips_through_its_name_form) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"5ms", "5ms"},
      {"250us", "250us"},
      {"0.5s", "0.5s"},
      {"uniform:1ms..9ms", "uniform_1ms_9ms"},
      {"uniform:1.5ms..2.5ms", "uniform_1.5ms_2.5ms"},
      {"exp:5ms", "exp_5ms"},
      {"lognormal:median=5ms,p99=100ms", "lognormal_5ms_100ms"},
      {"1ms:95,100ms:5", "1ms_95_100ms_5"},
      {"150us:10,2ms:5,0.5s:1", "150us_10_2ms_5_0.5s_1"},
  };
  for (const auto& [spec, name] : pairs) {
    EXPECT_EQ(canonical_delay_spec(spec), spec);
    EXPECT_EQ(delay_name_form(spec), name);
    EXPECT_EQ(delay_spec_from_name_form(name), spec) << name;
  }
}

TEST(delay_name, the_canonical_spec_drops_whitespace_and_orders_lognormal_keys) {
  EXPECT_EQ(canonical_delay_spec(" lognormal: p99=100ms , median=5ms "),
            "lognormal:median=5ms,p99=100ms");
  EXPECT_EQ(canonical_delay_spec("1ms:95, 100ms:5"), "1ms:95,100ms:5");
  EXPECT_EQ(canonical_delay_spec("uniform: 1ms .. 9ms"), "uniform:1ms..9ms");
  EXPECT_THROW((void)canonical_delay_spec("lognormal:median=5ms"), std::invalid_argument);
  EXPECT_THROW((void)canonical_delay_spec(""), std::invalid_argument);
}

TEST(delay_name, other_text_is_no_name_form) {
  for (const char* text : {"", "5", "gauss_5ms", "exp", "exp_5ms_6ms", "lognormal_5ms",
                           "lognormal_100ms_5ms", "uniform_9ms_1ms", "1ms_95_100ms", "1ms_0",
                           "uniform:1ms..9ms", "5ms,6ms", "_5ms", "5ms_"}) {
    EXPECT_FALSE(delay_spec_from_name_form(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace poolbench::results
