// The floor keeps no more requests in flight than its case's workers, and
// reaches that many: a test server counts the requests it holds at once. Each
// request is held until as many as the floor should have in flight are there
// (or a deadline passes), so the peak the server sees is the floor's bound,
// not an accident of timing; a floor that sent more would be seen at once.
// Both of the floor's backends, epoll and io_uring, are held to it.

#include <poolbench/runner/floor_backend.hpp>
#include <poolbench/runner/round_delays.hpp>
#include <poolbench/runner/strategy_factory.hpp>
#include "fake_server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

// Counts the requests it is answering at once, holding each until `wanted`
// are in (at most `hold`), then answers as poolbench-server would.
class concurrency_counter {
 public:
  explicit concurrency_counter(std::size_t wanted) : wanted_(wanted) {}

  testing::fake_reply answer(std::string_view target) {
    std::unique_lock lock(mutex_);
    ++in_flight_;
    peak_ = std::max(peak_, in_flight_);
    const auto wave = waves_;
    if (in_flight_ >= wanted_) {
      ++waves_;  // releases every request held so far
      changed_.notify_all();
    } else {
      changed_.wait_for(lock, hold, [&] { return waves_ != wave; });
    }
    lock.unlock();
    // Still in flight a while: a floor sending more than its bound would
    // have them overlap here, whatever the machine's timing.
    std::this_thread::sleep_for(linger);
    lock.lock();
    --in_flight_;
    return testing::hello_reply(target);
  }

  [[nodiscard]] std::size_t peak() const {
    std::lock_guard lock(mutex_);
    return peak_;
  }

  static constexpr auto hold = 2s;
  static constexpr auto linger = 20ms;

 private:
  std::size_t wanted_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t in_flight_ = 0;
  std::size_t peak_ = 0;
  std::size_t waves_ = 0;
};

using floor_factory = std::unique_ptr<client_strategy> (*)(const bench_case&, const http::url&,
                                                           const http::client_options&);

std::size_t peak_in_flight(std::size_t batch, std::size_t workers, connection kind,
                           floor_factory make) {
  concurrency_counter counter(workers);
  testing::fake_server server(
      [&counter](std::string_view target) { return counter.answer(target); });
  const bench_case c{strategy::floor, pool_mode::warm, generated_names(batch), workers, 0, kind};
  auto floor = make(c, http::url::parse(server.url()), {});
  for (int round = 0; round < 2; ++round) {
    const auto result = floor->run_round(delays_of_round(c, {}));
    EXPECT_NO_THROW(verify_round(c, http::url::parse(server.url()), result)) << c.name();
  }
  if (kind == connection::keep_alive) {
    // One connection per request in flight, reused across the rounds.
    EXPECT_EQ(server.connections(), workers) << c.name();
  }
  return counter.peak();
}

TEST(floor, keeps_no_more_requests_in_flight_than_its_workers) {
  for (auto kind : {connection::fresh, connection::keep_alive}) {
    EXPECT_EQ(peak_in_flight(9, 3, kind, make_floor_epoll_strategy), 3u);
    EXPECT_EQ(peak_in_flight(4, 1, kind, make_floor_epoll_strategy), 1u);
  }
}

TEST(floor, with_workers_for_the_whole_batch_has_the_no_pool_to_size) {
  EXPECT_EQ(peak_in_flight(6, 6, connection::fresh, make_floor_epoll_strategy), 6u);
}

TEST(floor_on_io_uring, keeps_no_more_requests_in_flight_than_its_workers) {
  if (const auto found = probe_io_uring(); !found.available)
    GTEST_SKIP() << found.why_not;
  for (auto kind : {connection::fresh, connection::keep_alive}) {
    EXPECT_EQ(peak_in_flight(9, 3, kind, make_floor_uring_strategy), 3u);
    EXPECT_EQ(peak_in_flight(4, 1, kind, make_floor_uring_strategy), 1u);
  }
  EXPECT_EQ(peak_in_flight(6, 6, connection::fresh, make_floor_uring_strategy), 6u);
}

}  // namespace
}  // namespace poolbench::runner
