// The parent's side of process_pool_executor: forks the workers, hands them
// jobs and collects their replies on one collector thread. Framing is in
// frame.cpp, the child's side in process_worker.cpp, the single-thread check
// in fork_safety.cpp; docs/executors.md explains the design.
#include <poolbench/executor/process_pool_executor.hpp>

#include <poolbench/executor/detail/fork_safety.hpp>
#include <poolbench/executor/detail/frame.hpp>
#include <poolbench/executor/detail/process_worker.hpp>
#include <poolbench/executor/detail/unique_fd.hpp>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

namespace poolbench {

namespace {

using detail::unique_fd;

// Jobs queued behind a busy worker's running one, in bytes, in total: they
// wait in its socket buffer or in the pool's outbox, no longer cancellable.
constexpr std::size_t max_ahead_bytes = 32 * 1024;

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Sends what the socket takes now, never blocking. A dead peer (EPIPE,
// ECONNRESET) counts as everything sent: its exit breaks the pool anyway.
std::size_t send_some(int fd, const char* data, std::size_t size) noexcept {
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

// An epoll token: the wake-up eventfd, or one descriptor of one worker
// generation (a stale event for a replaced worker is recognised and dropped).
enum class source : std::uint64_t { socket = 0, exit = 1 };
constexpr std::uint64_t wake_token = ~std::uint64_t{0};
std::uint64_t token_for(std::size_t slot, std::uint32_t generation, source what) {
  return (std::uint64_t{generation} << 32) | (std::uint64_t{slot} << 1) |
         static_cast<std::uint64_t>(what);
}

}  // namespace

class process_pool_executor::impl {
 public:
  impl(std::size_t max_workers, process_pool_options options)
      : options_(std::move(options)), parent_(::getpid()), workers_(max_workers) {
    if (max_workers == 0) {
      throw std::invalid_argument("process_pool_executor: max_workers must be at least 1");
    }
    if (!options_.allow_threads) {
      detail::require_single_thread();
    }
    epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_) {
      throw_errno("process_pool_executor: epoll_create1");
    }
    wake_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!wake_) {
      throw_errno("process_pool_executor: eventfd");
    }
    try {
      watch(wake_.get(), wake_token, EPOLLIN);
      std::lock_guard lock(mutex_);
      for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
        fork_worker(slot);
      }
      // Only now, with every initial worker forked, does the pool start a thread.
      collector_ = std::thread([this] { collect(); });
    } catch (...) {
      std::lock_guard lock(mutex_);
      kill_all_workers();
      throw;
    }
  }

  ~impl() { shutdown(true, false); }

  void enqueue(detail::process_job job) {
    detail::seal_frame(job.request);
    std::lock_guard lock(mutex_);
    check_accepting();
    place(std::move(job));
  }

  void enqueue_all(std::vector<detail::process_job>& jobs) {
    for (auto& job : jobs) {
      detail::seal_frame(job.request);
    }
    std::lock_guard lock(mutex_);
    check_accepting();
    for (auto& job : jobs) {
      place(std::move(job));
    }
  }

  void shutdown(bool wait, bool cancel_futures) {
    std::deque<detail::process_job> cancelled;
    {
      std::lock_guard lock(mutex_);
      if (state_ == state::running) {
        state_ = state::draining;
      }
      stopping_.store(true, std::memory_order_release);
      if (cancel_futures) {
        cancelled.swap(pending_);
      }
    }
    for (auto& job : cancelled) {
      job.call->set_error(std::make_exception_ptr(task_cancelled()));
    }
    wake_collector();
    if (wait) {
      std::lock_guard lock(join_mutex_);
      if (collector_.joinable()) {
        collector_.join();
      }
    }
  }

  [[nodiscard]] std::size_t max_workers() const noexcept { return workers_.size(); }

  [[nodiscard]] std::vector<pid_t> worker_pids() const {
    std::lock_guard lock(mutex_);
    std::vector<pid_t> pids;
    for (const auto& w : workers_) {
      if (w.pid > 0) {
        pids.push_back(w.pid);
      }
    }
    return pids;
  }

  [[nodiscard]] bool broken() const {
    std::lock_guard lock(mutex_);
    return state_ == state::broken;
  }

 private:
  enum class state { running, draining, broken, stopped };

  struct sent_call {
    std::unique_ptr<detail::process_call> call;
    std::size_t request_bytes;
  };

  struct worker {
    pid_t pid = -1;
    std::uint32_t generation = 0;  // bumped by every fork into this slot
    unique_fd socket;              // the parent's end of the socketpair
    unique_fd exit_fd;             // pidfd: readable once the process exits
    // Jobs sent and not yet answered, oldest first (the worker answers in order).
    std::deque<sent_call> in_flight;
    std::size_t in_flight_bytes = 0;
    std::size_t dispatched = 0;    // jobs ever sent to this process
    std::size_t tasks_done = 0;    // replies received from it
    std::string outbox;            // request bytes the socket did not take yet
    detail::frame_splitter inbox;  // reply bytes; the collector's only
  };

  // --- called with mutex_ held -------------------------------------------

  void check_accepting() const {
    if (state_ == state::broken) {
      throw broken_pool(broken_reason_);
    }
    if (state_ != state::running) {
      throw executor_shutdown();
    }
  }

  // Hands a job to a worker. The socket takes what fits now; the rest waits
  // in the outbox for the collector (EPOLLOUT), so no write ever blocks
  // under mutex_ - a blocked write would stop replies from being read.
  void dispatch(std::size_t slot, detail::process_job job) {
    worker& w = workers_[slot];
    const std::string& bytes = job.request;
    w.in_flight.push_back({std::move(job.call), bytes.size()});
    w.in_flight_bytes += bytes.size();
    ++w.dispatched;
    if (!w.outbox.empty()) {
      w.outbox += bytes;
      return;
    }
    const std::size_t sent = send_some(w.socket.get(), bytes.data(), bytes.size());
    if (sent < bytes.size()) {
      w.outbox.assign(bytes, sent);
      watch_output(slot, true);
    }
  }

  // A worker may hold one running job plus `tasks_ahead` queued behind it
  // (so it never waits for the parent between two jobs) totalling at most
  // max_ahead_bytes, and never more than it has left before
  // max_tasks_per_child recycles it.
  [[nodiscard]] bool can_take(const worker& w, std::size_t request_size) const {
    if (!w.socket ||
        (options_.max_tasks_per_child != 0 && w.dispatched >= options_.max_tasks_per_child)) {
      return false;
    }
    if (w.in_flight.empty()) {
      return true;
    }
    const std::size_t ahead = w.in_flight_bytes - w.in_flight.front().request_bytes;
    return w.in_flight.size() < 1 + options_.tasks_ahead && ahead + request_size <= max_ahead_bytes;
  }

  // Sends a job to the least busy worker that can take it, else queues it.
  void place(detail::process_job job) {
    std::size_t best = workers_.size();
    for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
      const worker& w = workers_[slot];
      if (can_take(w, job.request.size()) &&
          (best == workers_.size() || w.in_flight.size() < workers_[best].in_flight.size())) {
        best = slot;
        if (w.in_flight.empty()) {
          break;
        }
      }
    }
    if (best == workers_.size() || !pending_.empty()) {
      pending_.push_back(std::move(job));  // FIFO: never overtake queued jobs
    } else {
      dispatch(best, std::move(job));
    }
  }

  // Tops a worker up from the queue.
  void refill(std::size_t slot) {
    while (!pending_.empty() && can_take(workers_[slot], pending_.front().request.size())) {
      detail::process_job job = std::move(pending_.front());
      pending_.pop_front();
      dispatch(slot, std::move(job));
    }
  }

  void fork_worker(std::size_t slot) {
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
      throw_errno("process_pool_executor: socketpair");
    }
    unique_fd ours(ends[0]);
    unique_fd theirs(ends[1]);
    // Everything of the pool's the child must not keep (collected before
    // fork, so the child only reads memory it already has).
    std::vector<int> parent_fds{epoll_.get(), wake_.get(), ours.get()};
    for (const auto& w : workers_) {
      for (const auto* fd : {&w.socket, &w.exit_fd}) {
        if (*fd) {
          parent_fds.push_back(fd->get());
        }
      }
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
      throw_errno("process_pool_executor: fork");
    }
    if (pid == 0) {
      detail::worker_main(theirs.get(), parent_fds, parent_, options_);
    }
    theirs.reset();
    worker& w = workers_[slot];
    w.pid = pid;
    w.socket = std::move(ours);
    // Without pidfds (Linux < 5.3) a crash is seen only as EOF on the socket.
    w.exit_fd.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    ++w.generation;
    try {
      watch(w.socket.get(), token_for(slot, w.generation, source::socket), EPOLLIN);
      if (w.exit_fd) {
        watch(w.exit_fd.get(), token_for(slot, w.generation, source::exit), EPOLLIN);
      }
    } catch (...) {
      retire(slot, true);
      throw;
    }
  }

  void watch(int fd, std::uint64_t token, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = token;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
      throw_errno("process_pool_executor: epoll_ctl");
    }
  }

  // Asks the collector to tell when the worker's socket takes more bytes.
  void watch_output(std::size_t slot, bool on) {
    const worker& w = workers_[slot];
    epoll_event event{};
    event.events = EPOLLIN | (on ? EPOLLOUT : 0U);
    event.data.u64 = token_for(slot, w.generation, source::socket);
    (void)::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, w.socket.get(), &event);
  }

  // Stops a worker and reaps it; returns its wait status. shutdown(SHUT_RDWR)
  // ends the stream for the worker even while other processes (a second
  // pool's workers, a user's fork) hold copies of our end, so an idle worker
  // exits; `kill_first` for a worker that may be busy or already lost.
  int retire(std::size_t slot, bool kill_first) {
    worker& w = workers_[slot];
    int status = 0;
    for (auto* fd : {&w.socket, &w.exit_fd}) {
      if (*fd) {
        ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd->get(), nullptr);
      }
    }
    if (w.socket) {
      ::shutdown(w.socket.get(), SHUT_RDWR);
      w.socket.reset();
    }
    w.exit_fd.reset();
    if (w.pid > 0) {
      if (kill_first) {
        ::kill(w.pid, SIGKILL);
      }
      while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
      }
      w.pid = -1;
    }
    w.dispatched = 0;
    w.tasks_done = 0;
    w.outbox.clear();
    w.inbox.clear();
    return status;
  }

  void kill_all_workers() {
    for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
      retire(slot, true);
    }
  }

  // Marks the pool broken and gathers every future that must learn it.
  std::vector<std::unique_ptr<detail::process_call>> break_pool(std::string reason) {
    std::vector<std::unique_ptr<detail::process_call>> victims;
    state_ = state::broken;
    stopping_.store(true, std::memory_order_release);
    broken_reason_ = std::move(reason);
    for (auto& w : workers_) {
      for (auto& sent : w.in_flight) {
        victims.push_back(std::move(sent.call));
      }
      w.in_flight.clear();
      w.in_flight_bytes = 0;
    }
    for (auto& job : pending_) {
      victims.push_back(std::move(job.call));
    }
    pending_.clear();
    kill_all_workers();
    return victims;
  }

  // --- the collector thread ----------------------------------------------

  void wake_collector() const {
    const std::uint64_t one = 1;
    (void)!::write(wake_.get(), &one, sizeof one);
  }

  void collect() {
    epoll_event events[16];
    std::string chunk;
    for (;;) {
      const int n = ::epoll_wait(epoll_.get(), events, 16, -1);
      if (n < 0 && errno != EINTR) {
        fail_all("process_pool_executor: epoll_wait failed: " + std::string(std::strerror(errno)));
        return;
      }
      for (int i = 0; i < n; ++i) {
        on_event(events[i], chunk);
      }
      if (finished()) {
        return;
      }
    }
  }

  void on_event(const epoll_event& event, std::string& chunk) {
    const std::uint64_t token = event.data.u64;
    if (token == wake_token) {
      std::uint64_t count = 0;
      (void)!::read(wake_.get(), &count, sizeof count);
      return;
    }
    const auto slot = static_cast<std::size_t>((token & 0xffff'ffffU) >> 1);
    // Only this thread forks and retires, so it reads a slot without the lock.
    if (workers_[slot].generation != static_cast<std::uint32_t>(token >> 32) ||
        !workers_[slot].socket) {
      return;  // a stale event for a worker already retired or replaced
    }
    if (static_cast<source>(token & 1U) == source::exit) {
      // Replies it sent before dying still count; then the pool breaks.
      while (on_readable(slot, chunk)) {
      }
      if (workers_[slot].socket) {
        on_worker_lost(slot);
      }
      return;
    }
    if ((event.events & EPOLLOUT) != 0) {
      on_writable(slot);
    }
    if ((event.events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) {
      (void)on_readable(slot, chunk);
    }
  }

  void on_writable(std::size_t slot) {
    std::lock_guard lock(mutex_);
    worker& w = workers_[slot];
    const std::size_t sent = send_some(w.socket.get(), w.outbox.data(), w.outbox.size());
    w.outbox.erase(0, sent);
    if (w.outbox.empty()) {
      watch_output(slot, false);
    }
  }

  // Reads whatever replies have arrived (several when jobs are queued
  // ahead), then settles the books under one lock and the futures after it.
  // Returns true when it read bytes (more may follow).
  bool on_readable(std::size_t slot, std::string& chunk) {
    worker& w = workers_[slot];
    chunk.resize(64 * 1024);
    ssize_t n = 0;
    do {
      n = ::recv(w.socket.get(), chunk.data(), chunk.size(), MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return false;
    }
    if (n <= 0) {
      on_worker_lost(slot);  // EOF (or a socket error): the worker is gone
      return false;
    }
    w.inbox.append(chunk.data(), static_cast<std::size_t>(n));
    std::vector<std::string> replies;
    for (std::string body; w.inbox.next(body);) {
      replies.push_back(std::move(body));
    }
    if (!replies.empty()) {
      settle(slot, replies);
    }
    return true;
  }

  void settle(std::size_t slot, std::vector<std::string>& replies) {
    std::vector<std::unique_ptr<detail::process_call>> done;
    std::vector<std::unique_ptr<detail::process_call>> victims;
    bool protocol_error = false;
    {
      std::lock_guard lock(mutex_);
      worker& w = workers_[slot];
      for (const auto& reply : replies) {
        if (w.in_flight.empty() || reply.empty()) {
          protocol_error = true;
          break;
        }
        done.push_back(std::move(w.in_flight.front().call));
        w.in_flight_bytes -= w.in_flight.front().request_bytes;
        w.in_flight.pop_front();
        ++w.tasks_done;
      }
      if (!protocol_error && options_.max_tasks_per_child != 0 &&
          w.tasks_done >= options_.max_tasks_per_child) {
        victims = recycle(slot);
      }
      if (state_ != state::broken && !protocol_error) {
        refill(slot);
      }
    }
    for (std::size_t i = 0; i < done.size(); ++i) {
      complete(*done[i], replies[i]);
    }
    if (protocol_error) {
      on_worker_lost(slot);
    }
    fail(victims);
  }

  // Replaces a worker that reached max_tasks_per_child. While draining, a
  // replacement (and its initializer) is forked only if jobs still wait.
  std::vector<std::unique_ptr<detail::process_call>> recycle(std::size_t slot) {
    retire(slot, false);
    if (state_ != state::running && pending_.empty()) {
      return {};
    }
    try {
      fork_worker(slot);
    } catch (const std::exception& e) {
      return break_pool(std::string("process_pool_executor: cannot replace a worker: ") + e.what());
    }
    return {};
  }

  static void complete(detail::process_call& call, std::string_view body) {
    const char status = body.front();
    body.remove_prefix(1);
    if (status == detail::reply_ok) {
      call.set_result(body);
      return;
    }
    try {
      wire::reader in(body);
      std::string type = wire::decode<std::string>(in);
      std::string message = wire::decode<std::string>(in);
      call.set_error(std::make_exception_ptr(remote_task_error(message, std::move(type))));
    } catch (...) {
      call.set_error(std::current_exception());
    }
  }

  void on_worker_lost(std::size_t slot) {
    std::vector<std::unique_ptr<detail::process_call>> victims;
    {
      std::lock_guard lock(mutex_);
      const pid_t pid = workers_[slot].pid;
      // EOF without exit (a task closed the socket) still ends the worker.
      const int status = retire(slot, true);
      victims = break_pool(detail::describe_status(pid, status));
    }
    fail(victims);
  }

  void fail_all(std::string reason) {
    std::vector<std::unique_ptr<detail::process_call>> victims;
    {
      std::lock_guard lock(mutex_);
      victims = break_pool(std::move(reason));
    }
    fail(victims);
  }

  void fail(std::vector<std::unique_ptr<detail::process_call>>& victims) {
    if (victims.empty()) {
      return;  // the common case: no lock, so a woken submitter never waits on us
    }
    const std::string reason = broken_reason_copy();
    for (auto& victim : victims) {
      victim->set_error(std::make_exception_ptr(broken_pool(reason)));
    }
  }

  std::string broken_reason_copy() const {
    std::lock_guard lock(mutex_);
    return broken_reason_;
  }

  // True when the collector may stop: the pool broke, or it drains and no
  // job is left anywhere (then every worker is told to exit and reaped).
  bool finished() {
    // Checked after every wake-up: skip the lock while the pool just runs, so
    // the thread a reply just woke can submit again without contention.
    if (!stopping_.load(std::memory_order_acquire)) {
      return false;
    }
    std::lock_guard lock(mutex_);
    if (state_ == state::broken || state_ == state::stopped) {
      return true;
    }
    if (state_ != state::draining || !pending_.empty()) {
      return false;
    }
    for (const auto& w : workers_) {
      if (!w.in_flight.empty()) {
        return false;
      }
    }
    for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
      retire(slot, false);
    }
    state_ = state::stopped;
    return true;
  }

  process_pool_options options_;
  const pid_t parent_;
  unique_fd epoll_;
  unique_fd wake_;

  mutable std::mutex mutex_;
  std::vector<worker> workers_;              // fixed slots; guarded by mutex_
  std::deque<detail::process_job> pending_;  // guarded by mutex_
  std::atomic<bool> stopping_{false};        // state_ != running, readable without mutex_
  state state_ = state::running;             // guarded by mutex_
  std::string broken_reason_;                // guarded by mutex_

  std::mutex join_mutex_;
  std::thread collector_;
};

process_pool_executor::process_pool_executor(std::size_t max_workers, process_pool_options options)
    : impl_(std::make_unique<impl>(max_workers, std::move(options))) {}

process_pool_executor::~process_pool_executor() = default;

void process_pool_executor::enqueue(detail::process_job job) {
  impl_->enqueue(std::move(job));
}

void process_pool_executor::enqueue_all(std::vector<detail::process_job>& jobs) {
  impl_->enqueue_all(jobs);
}

void process_pool_executor::shutdown(bool wait, bool cancel_futures) {
  impl_->shutdown(wait, cancel_futures);
}

std::size_t process_pool_executor::max_workers() const noexcept {
  return impl_->max_workers();
}

std::vector<pid_t> process_pool_executor::worker_pids() const {
  return impl_->worker_pids();
}

bool process_pool_executor::broken() const {
  return impl_->broken();
}

}  // namespace poolbench
