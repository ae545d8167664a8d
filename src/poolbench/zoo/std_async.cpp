// std_async: the naive choice, one std::async(std::launch::async) per
// request: a thread started for each, however many the batch has. Sized by
// the batch, not by workers (the whole batch is in flight).

#include <poolbench/runner/blocking_executor.hpp>

#include <chrono>
#include <future>
#include <vector>

namespace {

struct std_async_executor final : poolbench::blocking_executor {
  explicit std_async_executor(std::size_t) {}
  void submit(std::function<void()> job) override {
    std::erase_if(started, [](const std::future<void>& f) {  // forget the finished
      return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    });
    started.push_back(std::async(std::launch::async, std::move(job)));
  }
  ~std_async_executor() override = default;  // each future's destructor joins its thread
  std::vector<std::future<void>> started;
};

// No pool: nothing is built before a request or kept after it, so there is
// no warm or cold to tell apart and no size to sweep (as unbounded).
poolbench::results::strategy_traits std_async_traits() {
  auto t = poolbench::blocking_executor_traits();
  t.has_pool = false;
  t.in_flight = poolbench::results::per_case::batch;  // a thread per request
  t.client_threads = poolbench::results::per_case::batch;
  return t;
}

const bool std_async_registered =
    (poolbench::register_blocking_executor(
         "std_async",
         [](std::size_t workers) { return std::make_unique<std_async_executor>(workers); },
         std_async_traits()),
     true);

}  // namespace
