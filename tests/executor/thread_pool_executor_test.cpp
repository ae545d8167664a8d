#include <poolbench/executor/thread_pool_executor.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(thread_pool_executor, submit_returns_result) {
  poolbench::thread_pool_executor pool(2);
  auto f = pool.submit([](int x, std::string s) { return s + std::to_string(x); }, 42, "n=");
  EXPECT_EQ(f.get(), "n=42");
}

}  // namespace
