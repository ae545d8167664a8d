// tbb: a oneTBB task_arena of `workers` threads running the blocking
// requests: a scheduler built for CPU-bound tasks, here waiting on I/O.
// oneTBB caps all its arenas at the CPU count unless told otherwise; the
// global_control lifts that cap so the arena really has `workers` threads.
// oneTBB keeps its worker threads after an arena ends; the destructor waits
// for them to exit (finalize), as the other pools join theirs: a later case
// must not inherit them (process_pool refuses to fork beside threads).

#include <poolbench/runner/blocking_executor.hpp>

#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>

#include <condition_variable>
#include <mutex>
#include <new>

namespace {

struct tbb_arena_executor final : poolbench::blocking_executor {
  explicit tbb_arena_executor(std::size_t workers)
      : scheduler(tbb::attach{}),
        threads(tbb::global_control::max_allowed_parallelism, workers + 1),
        arena(static_cast<int>(workers), /*reserved_for_masters=*/0) {}
  void submit(std::function<void()> job) override {
    std::lock_guard lock(mutex);
    ++pending;
    arena.enqueue([this, job = std::move(job)] {
      job();
      std::lock_guard done(mutex);
      if (--pending == 0)
        idle.notify_all();
    });
  }
  ~tbb_arena_executor() override {  // an arena has no join: wait for what was enqueued
    {
      std::unique_lock lock(mutex);
      idle.wait(lock, [this] { return pending == 0; });
    }
    arena.terminate();
    (void)tbb::finalize(scheduler, std::nothrow);  // false: another user of oneTBB keeps them
  }
  tbb::task_scheduler_handle scheduler;
  tbb::global_control threads;
  tbb::task_arena arena;
  std::mutex mutex;
  std::condition_variable idle;
  std::size_t pending = 0;
};

const bool tbb_registered =
    (poolbench::register_blocking_executor(
         "tbb", [](std::size_t workers) { return std::make_unique<tbb_arena_executor>(workers); }),
     true);

}  // namespace
