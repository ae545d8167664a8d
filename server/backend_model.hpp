#pragma once
// The backend models of poolbench-server, shared by every thread and
// connection: a limit on requests in flight (reject or queue), a token-bucket
// rate limit, the overload delay, and the counters of what was seen. One
// mutex guards all of it: the critical sections are a few comparisons, and
// the models are off (no backend_model at all) unless a flag asks for them.

#include "backend_stats.hpp"
#include "server_options.hpp"

#include <poolbench/delay/delay_distribution.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace poolbench::server {

class backend_model {
 public:
  // `max_delay`: the longest delay a drawn one is cut to. Throws
  // std::invalid_argument for a bad delay distribution spec.
  backend_model(const backend_options& options, std::chrono::microseconds max_delay);

  // A request waiting for a slot (--over-limit queue). Shared between the
  // waiting connection and the model, which hands it a slot from any thread.
  struct waiter;

  struct admission {
    enum class outcome { admitted, must_wait, rate_limited, over_limit };
    outcome result = outcome::admitted;
    // admitted: the overload delay (F × the other requests in flight).
    std::chrono::microseconds extra_delay{0};
    std::int64_t retry_after_s = 0;  // rate_limited, over_limit
    std::shared_ptr<waiter> wait;    // must_wait: pass to wait_for_slot
  };

  // Decides on a request the backend would serve. `executor` is the one the
  // request's connection runs on (where a queued request is woken).
  [[nodiscard]] admission try_admit(const boost::asio::any_io_executor& executor);

  // Waits (a timer, never a blocked thread) until the slot is handed over;
  // returns the overload delay computed then.
  boost::asio::awaitable<std::chrono::microseconds> wait_for_slot(std::shared_ptr<waiter> wait);

  // The request holding a slot was answered (or abandoned): the slot goes to
  // the first waiter, or is freed.
  void release();

  // The delay of a request that named none: the next draw of the seeded
  // stream from --delay-distribution, or 0 without one. Lock-free.
  [[nodiscard]] std::chrono::microseconds draw_delay();

  // The counters; with `reset`, then zeroes the totals and sets the peak to
  // the requests in flight now.
  [[nodiscard]] backend_stats stats(bool reset);

  // After the io_contexts stopped: queued waiters are never woken again
  // (their executors may be gone).
  void close();

  [[nodiscard]] const backend_options& options() const { return options_; }

 private:
  using clock = std::chrono::steady_clock;
  void count_admission_locked();
  [[nodiscard]] std::chrono::microseconds overload_delay_locked() const;
  // Token bucket: true if a token was taken; otherwise `retry_after_s` is set.
  bool take_token_locked(clock::time_point now, std::int64_t& retry_after_s);

  const backend_options options_;
  const std::optional<delay::delay_distribution> distribution_;
  const std::chrono::microseconds max_delay_;
  std::atomic<std::uint64_t> draws_{0};
  const double bucket_size_;
  std::mutex mutex_;
  double tokens_;
  clock::time_point refilled_at_;
  std::deque<std::shared_ptr<waiter>> waiters_;
  backend_stats stats_;
  bool closed_ = false;
};

// Holds one slot of the model and releases it once, at the latest on
// destruction (a connection that dies mid-answer frees its slot).
class backend_slot {
 public:
  explicit backend_slot(backend_model& model) : model_(&model) {}
  ~backend_slot() { release(); }
  backend_slot(const backend_slot&) = delete;
  backend_slot& operator=(const backend_slot&) = delete;
  void release() {
    if (model_ != nullptr)
      std::exchange(model_, nullptr)->release();
  }

 private:
  backend_model* model_;
};

}  // namespace poolbench::server
