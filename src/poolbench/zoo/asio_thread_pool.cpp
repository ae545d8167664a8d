// asio_thread_pool: boost::asio::thread_pool running the harness's blocking
// requests, one job each, on its `workers` threads.

#include <poolbench/runner/blocking_executor.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace {

struct asio_thread_pool_executor final : poolbench::blocking_executor {
  explicit asio_thread_pool_executor(std::size_t workers) : pool(workers) {}
  void submit(std::function<void()> job) override { boost::asio::post(pool, std::move(job)); }
  ~asio_thread_pool_executor() override { pool.join(); }  // runs what was posted, then joins
  boost::asio::thread_pool pool;
};

// Registered when the program starts (this file is linked as an object).
const bool asio_thread_pool_registered =
    (poolbench::register_blocking_executor(
         "asio_thread_pool",
         [](std::size_t workers) { return std::make_unique<asio_thread_pool_executor>(workers); }),
     true);

}  // namespace
