// The parent's side of process_pool_executor: forks the workers, hands them
// jobs and stops them. The collector thread's half is in
// process_pool_collector.cpp, framing in frame.cpp, the child's side in
// process_worker.cpp, the single-thread check in fork_safety.cpp;
// docs/executors.md explains the design.
#include <poolbench/executor/detail/fork_safety.hpp>
#include <poolbench/executor/detail/process_pool_impl.hpp>
#include <poolbench/executor/detail/process_worker.hpp>

#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>

#include <algorithm>
#include <csignal>
#include <system_error>

namespace poolbench {

namespace {

using detail::event_source;
using detail::token_for;
using detail::unique_fd;

// Jobs queued behind a busy worker's running one, in bytes, in total: they
// wait in its socket buffer or in the pool's outbox, no longer cancellable.
constexpr std::size_t max_ahead_bytes = 32 * 1024;

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

process_pool_executor::impl::impl(std::size_t max_workers, process_pool_options options)
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
    watch(wake_.get(), detail::wake_token, EPOLLIN);
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

void process_pool_executor::impl::enqueue(detail::process_job job) {
  detail::seal_frame(job.request);
  std::lock_guard lock(mutex_);
  check_accepting();
  place(std::move(job));
}

void process_pool_executor::impl::enqueue_all(std::vector<detail::process_job>& jobs) {
  for (auto& job : jobs) {
    detail::seal_frame(job.request);
  }
  std::lock_guard lock(mutex_);
  check_accepting();
  for (auto& job : jobs) {
    place(std::move(job));
  }
}

void process_pool_executor::impl::shutdown(bool wait, bool cancel_futures) {
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

std::vector<pid_t> process_pool_executor::impl::worker_pids() const {
  std::lock_guard lock(mutex_);
  std::vector<pid_t> pids;
  for (const auto& w : workers_) {
    if (w.pid > 0) {
      pids.push_back(w.pid);
    }
  }
  return pids;
}

bool process_pool_executor::impl::broken() const {
  std::lock_guard lock(mutex_);
  return state_ == state::broken;
}

void process_pool_executor::impl::check_accepting() const {
  if (state_ == state::broken) {
    throw broken_pool(broken_reason_);
  }
  if (state_ != state::running) {
    throw executor_shutdown();
  }
}

void process_pool_executor::impl::dispatch(std::size_t slot, detail::process_job job) {
  worker& w = workers_[slot];
  const std::string& bytes = job.request;
  w.in_flight.push_back({std::move(job.call), bytes.size()});
  w.in_flight_bytes += bytes.size();
  ++w.dispatched;
  if (!w.outbox.empty()) {
    w.outbox += bytes;
    return;
  }
  const std::size_t sent = detail::send_some(w.socket.get(), bytes.data(), bytes.size());
  if (sent < bytes.size()) {
    w.outbox.assign(bytes, sent);
    watch_output(slot, true);
  }
}

bool process_pool_executor::impl::can_take(const worker& w, std::size_t request_size) const {
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

void process_pool_executor::impl::place(detail::process_job job) {
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

void process_pool_executor::impl::refill(std::size_t slot) {
  while (!pending_.empty() && can_take(workers_[slot], pending_.front().request.size())) {
    detail::process_job job = std::move(pending_.front());
    pending_.pop_front();
    dispatch(slot, std::move(job));
  }
}

void process_pool_executor::impl::fork_worker(std::size_t slot) {
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
  std::sort(parent_fds.begin(), parent_fds.end());  // the child closes runs (process_worker.cpp)
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
    watch(w.socket.get(), token_for(slot, w.generation, event_source::socket), EPOLLIN);
    if (w.exit_fd) {
      watch(w.exit_fd.get(), token_for(slot, w.generation, event_source::exit), EPOLLIN);
    }
  } catch (...) {
    retire(slot, true);
    throw;
  }
}

void process_pool_executor::impl::watch(int fd, std::uint64_t token, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = token;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) != 0) {
    throw_errno("process_pool_executor: epoll_ctl");
  }
}

void process_pool_executor::impl::watch_output(std::size_t slot, bool on) {
  const worker& w = workers_[slot];
  epoll_event event{};
  event.events = EPOLLIN | (on ? EPOLLOUT : 0U);
  event.data.u64 = token_for(slot, w.generation, event_source::socket);
  (void)::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, w.socket.get(), &event);
}

int process_pool_executor::impl::retire(std::size_t slot, bool kill_first) {
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

void process_pool_executor::impl::kill_all_workers() {
  for (std::size_t slot = 0; slot < workers_.size(); ++slot) {
    retire(slot, true);
  }
}

void process_pool_executor::impl::wake_collector() const {
  const std::uint64_t one = 1;
  (void)!::write(wake_.get(), &one, sizeof one);
}

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
