#include "unique_temp_path.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>

namespace poolbench::testing {

std::string unique_temp_path(const std::string& stem) {
  std::string test;
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
    // every_strategy/server_turns_wrong, fails_only_the_case_it_hit/serial_before
    test = std::string(info->test_suite_name()) + "_" + info->name() + "_";
    std::replace(test.begin(), test.end(), '/', '_');
  }
  return ::testing::TempDir() + test + std::to_string(::getpid()) + "_" + stem;
}

}  // namespace poolbench::testing
