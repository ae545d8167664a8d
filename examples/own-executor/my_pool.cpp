// my_pool: a thread pool written from scratch (a queue, a lock, N threads),
// registered with poolbench so that the whole poolbench command line runs it
// beside the built-in strategies:
//
//   own-executor --strategies my_pool,thread_pool --quick --out run.json
//
// The harness hands each request to submit() as a job that fetches, checks
// and times one answer; a pool only has to run jobs and, when destroyed, run
// what it was given and join.

#include <poolbench/program/run_main.hpp>
#include <poolbench/runner/blocking_executor.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

class my_pool final : public poolbench::blocking_executor {
 public:
  explicit my_pool(std::size_t workers) {
    for (std::size_t i = 0; i < workers; ++i)
      threads_.emplace_back([this] { work(); });
  }

  void submit(std::function<void()> job) override {
    {
      std::lock_guard lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
  }

  // Runs every job already submitted, then joins (std::jthread).
  ~my_pool() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty())
          return;  // stopping, and nothing left to run
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::jthread> threads_;  // last: joined first, while the queue still exists
};

int main(int argc, char** argv) {
  // The one registration line: a name, and how to build a pool of N workers.
  poolbench::register_blocking_executor(
      "my_pool", [](std::size_t workers) { return std::make_unique<my_pool>(workers); });
  return poolbench::run_main(argc, argv);
}
