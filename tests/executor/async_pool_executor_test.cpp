#include <poolbench/executor/async_pool_executor.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace asio = boost::asio;

namespace {

asio::awaitable<int> twice(int x) {
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(1));
  co_await t.async_wait(asio::use_awaitable);
  co_return 2 * x;
}

TEST(async_pool_executor, with_async_pool_returns_results) {
  asio::io_context ioc;
  auto f = asio::co_spawn(
      ioc,
      poolbench::with_async_pool(ioc.get_executor(), 2,
                                 [](poolbench::async_pool_executor& pool) -> asio::awaitable<int> {
                                   auto a = pool.submit(twice, 21);
                                   co_return co_await a.async_get();
                                 }),
      asio::use_future);
  ioc.run();
  EXPECT_EQ(f.get(), 42);
}

}  // namespace
