#include <poolbench/executor/process_pool_executor.hpp>

#include <poolbench/executor/detail/fork_safety.hpp>

#include <cxxabi.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>
#include <typeinfo>

namespace poolbench {

namespace {

constexpr std::uint64_t wake_token = ~std::uint64_t{0};
constexpr int initializer_failed_exit = 3;
constexpr char reply_ok = 0;
constexpr char reply_error = 1;
// Both message kinds start with [u32 length]; replies then carry a status byte.
constexpr std::size_t length_size = sizeof(std::uint32_t);
// Well below the smallest default AF_UNIX socket buffer (net.core.wmem_default).
constexpr std::size_t max_ahead_bytes = 32 * 1024;

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// send() with MSG_NOSIGNAL: a dead peer is EPIPE, never SIGPIPE.
bool write_all(int fd, const char* data, std::size_t size) noexcept {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, char* data, std::size_t size) noexcept {
  while (size > 0) {
    const ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;  // EOF: the peer is gone
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one framed message body (without its length prefix).
bool read_message(int fd, std::string& body) {
  std::uint32_t length = 0;
  if (!read_all(fd, reinterpret_cast<char*>(&length), sizeof length)) {
    return false;
  }
  body.resize(length);
  return read_all(fd, body.data(), length);
}

// Writes the body length into the first four bytes of `message`.
void seal(std::string& message) {
  const std::size_t body = message.size() - length_size;
  if (body > UINT32_MAX) {
    throw std::length_error("process_pool_executor: message larger than 4 GiB");
  }
  const auto length = static_cast<std::uint32_t>(body);
  std::memcpy(message.data(), &length, sizeof length);
}

std::string demangle(const char* name) {
  int status = 0;
  char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string result = status == 0 && readable != nullptr ? readable : name;
  std::free(readable);
  return result;
}

std::string describe_status(pid_t pid, int status) {
  std::string who = "process_pool_executor: worker " + std::to_string(pid);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::sigdescr_np(sig);
    return who + " was killed by signal " + std::to_string(sig) + " (" +
           (name != nullptr ? name : "unknown") + ")";
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == initializer_failed_exit) {
      return who + " exited: its initializer threw";
    }
    return who + " exited unexpectedly with status " + std::to_string(WEXITSTATUS(status));
  }
  return who + " died";
}

// The child's whole life. Only the worker loop runs here: no lock of the
// parent is touched, and it leaves with _exit (no atexit, no stdio flush).
[[noreturn]] void worker_main(int fd, const std::vector<int>& parent_fds, pid_t parent,
                              const process_pool_options& options) {
  // Die with the parent; if it already died before prctl, getppid() shows it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) {
    ::_exit(1);
  }
  // Sibling sockets must close here, or a sibling would never see EOF.
  for (const int other : parent_fds) {
    ::close(other);
  }
  if (options.close_inherited_fds) {
    if (fd > 3) {
      ::close_range(3, static_cast<unsigned>(fd) - 1, 0);
    }
    ::close_range(static_cast<unsigned>(std::max(fd + 1, 3)), ~0U, 0);
  }
  if (options.initializer) {
    try {
      options.initializer();
    } catch (...) {
      ::_exit(initializer_failed_exit);
    }
  }
  std::string request;
  std::string reply;
  for (;;) {
    if (!read_message(fd, request)) {
      ::_exit(0);  // the pool closed our socket: shutdown or recycling
    }
    reply.assign(length_size, '\0');
    reply.push_back(reply_ok);
    try {
      wire::reader in(request);
      const auto thunk = reinterpret_cast<detail::process_thunk>(
          static_cast<std::uintptr_t>(wire::decode<std::uint64_t>(in)));
      const auto fn = wire::decode<std::uint64_t>(in);
      thunk(fn, in, reply);
    } catch (const std::exception& e) {
      reply.resize(length_size);
      reply.push_back(reply_error);
      wire::encode(reply, demangle(typeid(e).name()));
      wire::encode(reply, std::string(e.what()));
    } catch (...) {
      reply.resize(length_size);
      reply.push_back(reply_error);
      wire::encode(reply, std::string("unknown"));
      wire::encode(reply, std::string("unknown exception (not derived from std::exception)"));
    }
    seal(reply);
    if (!write_all(fd, reply.data(), reply.size())) {
      ::_exit(0);
    }
  }
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
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) {
      throw_errno("process_pool_executor: epoll_create1");
    }
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
      const int saved = errno;
      ::close(epoll_fd_);
      throw std::system_error(saved, std::generic_category(), "process_pool_executor: eventfd");
    }
    try {
      watch(wake_fd_, wake_token);
      std::lock_guard lock(mutex_);
      for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
        fork_worker(slot);
      }
      // Only now, with every initial worker forked, does the pool start a thread.
      collector_ = std::thread([this] { collect(); });
    } catch (...) {
      std::lock_guard lock(mutex_);
      kill_all_workers();
      ::close(wake_fd_);
      ::close(epoll_fd_);
      throw;
    }
  }

  ~impl() {
    shutdown(true, false);
    ::close(wake_fd_);
    ::close(epoll_fd_);
  }

  void enqueue(detail::process_job job) {
    seal(job.request);
    std::lock_guard lock(mutex_);
    check_accepting();
    place(std::move(job));
  }

  void enqueue_all(std::vector<detail::process_job>& jobs) {
    for (auto& job : jobs) {
      seal(job.request);
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

  struct worker {
    pid_t pid = -1;
    int fd = -1;  // the parent's end of the socketpair
    // Jobs sent and not yet answered, oldest first (the worker answers in order).
    std::deque<std::unique_ptr<detail::process_call>> in_flight;
    std::size_t dispatched = 0;  // jobs ever sent to this process
    std::size_t tasks_done = 0;  // replies received from it
    std::string inbox;           // bytes of replies not yet complete
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

  // Hands a job to an idle worker. A failed write means the worker died; its
  // EOF reaches the collector, which breaks the pool and fails this job too.
  void dispatch(std::size_t slot, detail::process_job job) {
    worker& w = workers_[slot];
    w.in_flight.push_back(std::move(job.call));
    ++w.dispatched;
    (void)write_all(w.fd, job.request.data(), job.request.size());
  }

  // A worker may hold one running job plus `tasks_ahead` queued in its
  // socket (so it never waits for the parent between two jobs), and never
  // more than it has left before max_tasks_per_child recycles it.
  // A job sent ahead must fit in the socket buffer: a busy worker does not
  // read it, and a write blocking under mutex_ would stop the collector from
  // reading that worker's reply (a deadlock once the reply is large too).
  [[nodiscard]] bool can_take(const worker& w, std::size_t request_size) const {
    if (w.fd < 0 ||
        (options_.max_tasks_per_child != 0 && w.dispatched >= options_.max_tasks_per_child)) {
      return false;
    }
    return w.in_flight.empty() ||
           (w.in_flight.size() < 1 + options_.tasks_ahead && request_size <= max_ahead_bytes);
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
    // Everything of the pool's the child must not keep (collected before
    // fork, so the child only reads memory it already has).
    std::vector<int> parent_fds{epoll_fd_, wake_fd_, ends[0]};
    for (const auto& w : workers_) {
      if (w.fd >= 0) {
        parent_fds.push_back(w.fd);
      }
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
      const int saved = errno;
      ::close(ends[0]);
      ::close(ends[1]);
      throw std::system_error(saved, std::generic_category(), "process_pool_executor: fork");
    }
    if (pid == 0) {
      worker_main(ends[1], parent_fds, parent_, options_);
    }
    ::close(ends[1]);
    workers_[slot] = worker{pid, ends[0], {}, 0, 0, {}};
    try {
      watch(ends[0], slot);
    } catch (...) {
      retire(slot, true);
      throw;
    }
  }

  void watch(int fd, std::uint64_t token) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = token;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      throw_errno("process_pool_executor: epoll_ctl");
    }
  }

  // Closes a worker's socket (an idle worker exits on that EOF), reaps it and
  // returns its wait status. `kill_first` for a worker that may be busy.
  int retire(std::size_t slot, bool kill_first) {
    worker& w = workers_[slot];
    int status = 0;
    if (w.fd >= 0) {
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, w.fd, nullptr);
      ::close(w.fd);
      w.fd = -1;
    }
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
      for (auto& call : w.in_flight) {
        victims.push_back(std::move(call));
      }
      w.in_flight.clear();
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
    (void)!::write(wake_fd_, &one, sizeof one);
  }

  void collect() {
    epoll_event events[16];
    std::string body;
    for (;;) {
      const int n = ::epoll_wait(epoll_fd_, events, 16, -1);
      if (n < 0 && errno != EINTR) {
        fail_all("process_pool_executor: epoll_wait failed: " + std::string(std::strerror(errno)));
        return;
      }
      for (int i = 0; i < n; ++i) {
        const std::uint64_t token = events[i].data.u64;
        if (token == wake_token) {
          std::uint64_t count = 0;
          (void)!::read(wake_fd_, &count, sizeof count);
        } else {
          on_readable(static_cast<std::size_t>(token), body);
        }
      }
      if (finished()) {
        return;
      }
    }
  }

  // Reads whatever replies have arrived (several when jobs are queued
  // ahead), then settles the books under one lock and the futures after it.
  void on_readable(std::size_t slot, std::string& chunk) {
    // Only this thread changes a worker's fd, so it reads it without the lock.
    const int fd = workers_[slot].fd;
    if (fd < 0) {
      return;  // a stale event for a worker already retired
    }
    chunk.resize(64 * 1024);
    ssize_t n = 0;
    do {
      n = ::recv(fd, chunk.data(), chunk.size(), MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    }
    if (n <= 0) {
      on_worker_lost(slot);  // EOF (or a socket error): the worker is gone
      return;
    }
    // Only this thread touches inbox, so it is read outside the lock.
    std::string& inbox = workers_[slot].inbox;
    inbox.append(chunk.data(), static_cast<std::size_t>(n));
    std::vector<std::string> replies;
    std::size_t used = 0;
    while (inbox.size() - used >= length_size) {
      std::uint32_t length = 0;
      std::memcpy(&length, inbox.data() + used, length_size);
      if (inbox.size() - used - length_size < length) {
        break;
      }
      replies.emplace_back(inbox, used + length_size, length);
      used += length_size + length;
    }
    inbox.erase(0, used);
    if (replies.empty()) {
      return;
    }

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
        done.push_back(std::move(w.in_flight.front()));
        w.in_flight.pop_front();
        ++w.tasks_done;
      }
      if (!protocol_error && options_.max_tasks_per_child != 0 &&
          w.tasks_done >= options_.max_tasks_per_child) {
        retire(slot, false);
        try {
          fork_worker(slot);
        } catch (const std::exception& e) {
          victims = break_pool(std::string("process_pool_executor: cannot replace a worker: ") +
                               e.what());
        }
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

  static void complete(detail::process_call& call, std::string_view body) {
    const char status = body.front();
    body.remove_prefix(1);
    if (status == reply_ok) {
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
      victims = break_pool(describe_status(pid, status));
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
  int epoll_fd_ = -1;
  int wake_fd_ = -1;

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
