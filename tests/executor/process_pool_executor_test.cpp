#include <poolbench/executor/process_pool_executor.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <string>

namespace {

int square(int x) {
  return x * x;
}

TEST(process_pool_executor, submit_returns_result) {
  poolbench::process_pool_executor pool(2);
  auto f = pool.submit(&square, 7);
  EXPECT_EQ(f.get(), 49);
}

}  // namespace
