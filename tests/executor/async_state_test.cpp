// async_state, the result slot behind async_future: every waiter resumes
// once, whether it waited before or after completion, and a waiter keeps
// its io_context running (tracked work) until then.

#include <poolbench/executor/async_future.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

namespace {

namespace asio = boost::asio;
using poolbench::detail::async_state;

TEST(async_state, every_waiter_resumes_once) {
  asio::io_context ioc;
  auto state = std::make_shared<async_state<int>>();
  int resumed = 0;
  int sum = 0;
  for (int i = 0; i < 3; ++i) {  // the first waits in place, the others in the vector
    asio::co_spawn(
        ioc,
        [&, state]() -> asio::awaitable<void> {
          co_await state->async_wait(asio::use_awaitable);
          ++resumed;
          sum += state->take();
        },
        asio::detached);
  }
  // A plain callback on a strand: its executor converts to any_io_executor too.
  auto strand = asio::make_strand(ioc);
  state->async_wait(asio::bind_executor(strand, [&] { ++resumed; }));
  asio::post(ioc, [state] { state->set_value(7); });
  ioc.run_for(std::chrono::seconds(20));
  EXPECT_EQ(resumed, 4);
  EXPECT_EQ(sum, 21);
  // After completion a waiter resumes at once, and only once.
  state->async_wait(asio::bind_executor(strand, [&] { ++resumed; }));
  ioc.restart();
  ioc.run_for(std::chrono::seconds(20));
  EXPECT_EQ(resumed, 5);
}

TEST(async_state, a_waiter_keeps_its_io_context_running) {
  asio::io_context ioc;
  auto state = std::make_shared<async_state<int>>();
  bool resumed = false;
  // A plain handler, so that nothing but the state's tracked work (no
  // co_spawn's own) keeps `ioc` busy.
  state->async_wait(asio::bind_executor(ioc.get_executor(), [&] { resumed = true; }));
  // Completed from another thread after a while: run() must not return
  // before, although nothing else is queued on `ioc`.
  std::thread completer([state] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    state->set_value(1);
  });
  ioc.run_for(std::chrono::seconds(20));
  completer.join();
  EXPECT_TRUE(resumed);
}

}  // namespace
