#pragma once
// process_pool_executor::impl, the parent's side of the process pool, shared
// by its two halves: process_pool_executor.cpp (forking, submitting,
// dispatching, stopping workers) and process_pool_collector.cpp (the
// collector thread: replies, crashes, recycling, the end of a drain).
// Private to the library.

#include <poolbench/executor/detail/frame.hpp>
#include <poolbench/executor/detail/unique_fd.hpp>
#include <poolbench/executor/process_pool_executor.hpp>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace poolbench {

namespace detail {

// An epoll token: the wake-up eventfd, or one descriptor of one worker
// generation (a stale event for a replaced worker is recognised and dropped).
enum class event_source : std::uint64_t { socket = 0, exit = 1 };
inline constexpr std::uint64_t wake_token = ~std::uint64_t{0};
inline std::uint64_t token_for(std::size_t slot, std::uint32_t generation, event_source what) {
  return (std::uint64_t{generation} << 32) | (std::uint64_t{slot} << 1) |
         static_cast<std::uint64_t>(what);
}

// Sends what the socket takes now, never blocking. A dead peer (EPIPE,
// ECONNRESET) counts as everything sent: its exit breaks the pool anyway.
inline std::size_t send_some(int fd, const char* data, std::size_t size) noexcept {
  std::size_t sent = 0;
  while (sent < size) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      sent += static_cast<std::size_t>(n);
    } else if (errno != EINTR) {
      return errno == EAGAIN || errno == EWOULDBLOCK ? sent : size;
    }
  }
  return sent;
}

}  // namespace detail

class process_pool_executor::impl {
 public:
  impl(std::size_t max_workers, process_pool_options options);

  ~impl() { shutdown(true, false); }

  void enqueue(detail::process_job job);
  void enqueue_all(std::vector<detail::process_job>& jobs);

  void shutdown(bool wait, bool cancel_futures);

  [[nodiscard]] std::size_t max_workers() const noexcept { return workers_.size(); }
  [[nodiscard]] std::vector<pid_t> worker_pids() const;
  [[nodiscard]] bool broken() const;

 private:
  enum class state { running, draining, broken, stopped };

  struct sent_call {
    std::unique_ptr<detail::process_call> call;
    std::size_t request_bytes;
  };

  struct worker {
    pid_t pid = -1;
    std::uint32_t generation = 0;  // bumped by every fork into this slot
    detail::unique_fd socket;      // the parent's end of the socketpair
    detail::unique_fd exit_fd;     // pidfd: readable once the process exits
    // Jobs sent and not yet answered, oldest first (the worker answers in order).
    std::deque<sent_call> in_flight;
    std::size_t in_flight_bytes = 0;
    std::size_t dispatched = 0;    // jobs ever sent to this process
    std::size_t tasks_done = 0;    // replies received from it
    std::string outbox;            // request bytes the socket did not take yet
    detail::frame_splitter inbox;  // reply bytes; the collector's only
  };

  // --- called with mutex_ held -------------------------------------------

  void check_accepting() const;

  // Hands a job to a worker. The socket takes what fits now; the rest waits
  // in the outbox for the collector (EPOLLOUT), so no write ever blocks
  // under mutex_ - a blocked write would stop replies from being read.
  void dispatch(std::size_t slot, detail::process_job job);

  // A worker may hold one running job plus `tasks_ahead` queued behind it
  // (so it never waits for the parent between two jobs) totalling at most
  // max_ahead_bytes, and never more than it has left before
  // max_tasks_per_child recycles it.
  [[nodiscard]] bool can_take(const worker& w, std::size_t request_size) const;

  // Sends a job to the least busy worker that can take it, else queues it.
  void place(detail::process_job job);

  // Tops a worker up from the queue.
  void refill(std::size_t slot);

  // Forks a worker into an empty slot and watches its socket and pidfd.
  void fork_worker(std::size_t slot);

  // Adds a descriptor to the collector's epoll set under `token`.
  void watch(int fd, std::uint64_t token, std::uint32_t events);

  // Asks the collector to tell when the worker's socket takes more bytes.
  void watch_output(std::size_t slot, bool on);

  // Stops a worker and reaps it; returns its wait status. shutdown(SHUT_RDWR)
  // ends the stream for the worker even while other processes (a second
  // pool's workers, a user's fork) hold copies of our end, so an idle worker
  // exits; `kill_first` for a worker that may be busy or already lost.
  int retire(std::size_t slot, bool kill_first);
  void kill_all_workers();

  // Marks the pool broken and gathers every future that must learn it.
  std::vector<std::unique_ptr<detail::process_call>> break_pool(std::string reason);

  // --- the collector thread ----------------------------------------------

  // Wakes the collector (shutdown) through the eventfd.
  void wake_collector() const;
  // The collector's loop: epoll until finished().
  void collect();
  // Dispatches one epoll event: wake-up, socket (in/out) or worker exit.
  void on_event(const epoll_event& event, std::string& chunk);
  // Flushes the worker's outbox as far as its socket takes it.
  void on_writable(std::size_t slot);

  // Reads whatever replies have arrived (several when jobs are queued
  // ahead), then settles the books under one lock and the futures after it.
  // Returns true when it read bytes (more may follow).
  bool on_readable(std::size_t slot, std::string& chunk);
  void settle(std::size_t slot, std::vector<std::string>& replies);
  static void complete(detail::process_call& call, std::string_view body);

  // Replaces a worker that reached max_tasks_per_child. While draining, a
  // replacement (and its initializer) is forked only if jobs still wait.
  std::vector<std::unique_ptr<detail::process_call>> recycle(std::size_t slot);

  // A worker died (EOF, pidfd, bad reply): reap it and break the pool.
  void on_worker_lost(std::size_t slot);
  void fail_all(std::string reason);
  // Gives every victim broken_pool (outside mutex_).
  void fail(std::vector<std::unique_ptr<detail::process_call>>& victims);
  std::string broken_reason_copy() const;

  // True when the collector may stop: the pool broke, or it drains and no
  // job is left anywhere (then every worker is told to exit and reaped).
  bool finished();

  process_pool_options options_;
  const pid_t parent_;
  detail::unique_fd epoll_;
  detail::unique_fd wake_;

  mutable std::mutex mutex_;
  std::vector<worker> workers_;              // fixed slots; guarded by mutex_
  std::deque<detail::process_job> pending_;  // guarded by mutex_
  std::atomic<bool> stopping_{false};        // state_ != running, readable without mutex_
  state state_ = state::running;             // guarded by mutex_
  std::string broken_reason_;                // guarded by mutex_

  std::mutex join_mutex_;
  std::thread collector_;
};

}  // namespace poolbench
