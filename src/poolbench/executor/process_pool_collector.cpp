// The collector thread of process_pool_executor: reads replies and
// completes futures, flushes requests the sockets could not take at once,
// notices dead workers (EOF or their pidfd), recycles workers and ends a
// drain.
#include <poolbench/executor/detail/process_pool_impl.hpp>
#include <poolbench/executor/detail/process_worker.hpp>

#include <unistd.h>

#include <cstring>

namespace poolbench {

using detail::event_source;

std::vector<std::unique_ptr<detail::process_call>> process_pool_executor::impl::break_pool(
    std::string reason) {
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

void process_pool_executor::impl::collect() {
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

void process_pool_executor::impl::on_event(const epoll_event& event, std::string& chunk) {
  const std::uint64_t token = event.data.u64;
  if (token == detail::wake_token) {
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
  if (static_cast<event_source>(token & 1U) == event_source::exit) {
    // Replies it sent before dying still count; then the pool breaks -
    // unless those replies already retired it (recycling, loss on EOF).
    const std::uint32_t generation = workers_[slot].generation;
    while (workers_[slot].generation == generation && workers_[slot].socket &&
           on_readable(slot, chunk)) {
    }
    if (workers_[slot].generation == generation && workers_[slot].socket) {
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

void process_pool_executor::impl::on_writable(std::size_t slot) {
  std::lock_guard lock(mutex_);
  worker& w = workers_[slot];
  const std::size_t sent = detail::send_some(w.socket.get(), w.outbox.data(), w.outbox.size());
  w.outbox.erase(0, sent);
  if (w.outbox.empty()) {
    watch_output(slot, false);
  }
}

bool process_pool_executor::impl::on_readable(std::size_t slot, std::string& chunk) {
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

void process_pool_executor::impl::settle(std::size_t slot, std::vector<std::string>& replies) {
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

std::vector<std::unique_ptr<detail::process_call>> process_pool_executor::impl::recycle(
    std::size_t slot) {
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

void process_pool_executor::impl::complete(detail::process_call& call, std::string_view body) {
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

void process_pool_executor::impl::on_worker_lost(std::size_t slot) {
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

void process_pool_executor::impl::fail_all(std::string reason) {
  std::vector<std::unique_ptr<detail::process_call>> victims;
  {
    std::lock_guard lock(mutex_);
    victims = break_pool(std::move(reason));
  }
  fail(victims);
}

void process_pool_executor::impl::fail(
    std::vector<std::unique_ptr<detail::process_call>>& victims) {
  if (victims.empty()) {
    return;  // the common case: no lock, so a woken submitter never waits on us
  }
  const std::string reason = broken_reason_copy();
  for (auto& victim : victims) {
    victim->set_error(std::make_exception_ptr(broken_pool(reason)));
  }
}

std::string process_pool_executor::impl::broken_reason_copy() const {
  std::lock_guard lock(mutex_);
  return broken_reason_;
}

bool process_pool_executor::impl::finished() {
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

}  // namespace poolbench
