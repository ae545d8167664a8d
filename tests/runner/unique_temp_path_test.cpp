// unique_temp_path (tests/support): the file names the runner's tests write
// under TempDir() differ by test, parametrized instance and process, so that
// CTest's parallel test processes never read each other's file.

#include "unique_temp_path.hpp"

#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

namespace poolbench::runner {
namespace {

// TempDir() + suite_test_pid_stem, checked for the test that runs it.
void expect_own_name(const std::string& expected_test) {
  const auto path = testing::unique_temp_path("out.json");
  const auto dir = ::testing::TempDir();
  ASSERT_EQ(path.rfind(dir, 0), 0u) << path;
  EXPECT_EQ(path.substr(dir.size()),
            expected_test + "_" + std::to_string(::getpid()) + "_out.json");
}

TEST(unique_temp_path, names_the_suite_the_test_and_the_process) {
  expect_own_name("unique_temp_path_names_the_suite_the_test_and_the_process");
}

class unique_temp_path_of : public ::testing::TestWithParam<int> {};

// A parametrized name holds '/' (prefix/suite, test/param): never a directory.
TEST_P(unique_temp_path_of, a_parametrized_test_is_one_file_name) {
  expect_own_name("some_unique_temp_path_of_a_parametrized_test_is_one_file_name_" +
                  std::to_string(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(some, unique_temp_path_of, ::testing::Values(0, 1));

}  // namespace
}  // namespace poolbench::runner
