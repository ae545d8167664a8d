#pragma once
// Test support: a parameterised suite whose tests share one poolbench-server
// (POOLBENCH_SERVER_PATH, which the test target defines), started before the
// suite's first test and stopped after its last, so that each test does not
// pay a server start.

#include "server_process.hpp"

#include <gtest/gtest.h>

namespace poolbench::testing {

template <typename Param>
class suite_with_server : public ::testing::TestWithParam<Param> {
 protected:
  static void SetUpTestSuite() { server_ = new server_process(POOLBENCH_SERVER_PATH); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static inline server_process* server_ = nullptr;
};

}  // namespace poolbench::testing
