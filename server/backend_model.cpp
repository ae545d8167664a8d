#include "backend_model.hpp"

#include "use_tuple.hpp"

#include <poolbench/delay/delay_stream.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::server {

namespace asio = boost::asio;

struct backend_model::waiter {
  explicit waiter(const asio::any_io_executor& executor)
      : timer(executor, clock::time_point::max()) {}
  asio::steady_timer timer;  // only touched on its executor
  bool granted = false;      // only touched on the timer's executor
  clock::time_point enqueued_at;
  std::chrono::microseconds extra_delay{0};  // set under the model's mutex at handover
};

namespace {

double bucket_size(const backend_options& options) {
  if (options.rate_burst > 0)
    return static_cast<double>(options.rate_burst);
  return std::max(1.0, std::floor(options.rate_limit / 10));
}

std::optional<delay::delay_distribution> parse_distribution(const backend_options& options) {
  if (options.delay_distribution.empty())
    return std::nullopt;
  return delay::delay_distribution::parse(options.delay_distribution);
}

}  // namespace

backend_model::backend_model(const backend_options& options, std::chrono::microseconds max_delay)
    : options_(options),
      distribution_(parse_distribution(options)),
      max_delay_(max_delay),
      bucket_size_(bucket_size(options)),
      tokens_(bucket_size_),
      refilled_at_(clock::now()) {}

bool backend_model::take_token_locked(clock::time_point now, std::int64_t& retry_after_s) {
  const std::chrono::duration<double> elapsed = now - refilled_at_;
  refilled_at_ = now;
  tokens_ = std::min(bucket_size_, tokens_ + elapsed.count() * options_.rate_limit);
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return true;
  }
  // Whole seconds a retry would surely fail for: the wait for the next token,
  // rounded down (0 whenever the rate is at least one a second).
  // (At most a day, whatever tiny rate was asked for.)
  const double wait_s = std::min((1 - tokens_) / options_.rate_limit, 86'400.0);
  retry_after_s = options_.retry_after_s >= 0 ? options_.retry_after_s
                                              : static_cast<std::int64_t>(std::floor(wait_s));
  return false;
}

std::chrono::microseconds backend_model::overload_delay_locked() const {
  const auto others = stats_.in_flight > 0 ? stats_.in_flight - 1 : 0;
  return options_.overload_per_request * static_cast<std::int64_t>(others);
}

void backend_model::count_admission_locked() {
  ++stats_.admitted;
  ++stats_.in_flight;
  stats_.peak_in_flight = std::max(stats_.peak_in_flight, stats_.in_flight);
}

backend_model::admission backend_model::try_admit(const asio::any_io_executor& executor) {
  const auto now = clock::now();
  std::lock_guard lock(mutex_);
  admission result;
  if (options_.rate_limit > 0 && !take_token_locked(now, result.retry_after_s)) {
    ++stats_.rejected_429;
    result.result = admission::outcome::rate_limited;
    return result;
  }
  if (options_.max_in_flight == 0 || stats_.in_flight < options_.max_in_flight) {
    count_admission_locked();
    result.extra_delay = overload_delay_locked();
    return result;
  }
  if (options_.policy == over_limit::reject) {
    ++stats_.rejected_503;
    // The server cannot know when a request in flight will finish; 0 says
    // "transient, retry after your own backoff".
    result.retry_after_s = std::max<std::int64_t>(options_.retry_after_s, 0);
    result.result = admission::outcome::over_limit;
    return result;
  }
  ++stats_.queued;
  result.wait = std::make_shared<waiter>(executor);
  result.wait->enqueued_at = now;
  waiters_.push_back(result.wait);
  result.result = admission::outcome::must_wait;
  return result;
}

asio::awaitable<std::chrono::microseconds> backend_model::wait_for_slot(
    std::shared_ptr<waiter> wait) {
  // The handover sets `granted` and cancels the timer on this executor, so
  // it cannot slip between the check and the wait. The timer never expires
  // by itself (its expiry is the end of time): every wake is a handover.
  while (!wait->granted)
    co_await wait->timer.async_wait(use_tuple);
  co_return wait->extra_delay;
}

void backend_model::release() {
  std::shared_ptr<waiter> next;
  {
    std::lock_guard lock(mutex_);
    if (!waiters_.empty() && !closed_) {
      // The slot passes straight to the first waiter: in flight stays the same.
      next = std::move(waiters_.front());
      waiters_.pop_front();
      const auto now = clock::now();
      ++stats_.admitted;
      const auto waited = static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - next->enqueued_at).count());
      stats_.queue_wait_us_total += waited;
      stats_.queue_wait_us_max = std::max(stats_.queue_wait_us_max, waited);
      next->extra_delay = overload_delay_locked();
    } else if (stats_.in_flight > 0) {
      --stats_.in_flight;
    }
  }
  if (next) {
    auto executor = next->timer.get_executor();
    asio::post(executor, [next] {
      next->granted = true;
      next->timer.cancel();
    });
  }
}

std::chrono::microseconds backend_model::draw_delay() {
  if (!distribution_)
    return std::chrono::microseconds(0);
  // One stream, keyed by the draw's number alone: the same seed gives the
  // same sequence of delays in the order requests are admitted.
  const auto n = draws_.fetch_add(1, std::memory_order_relaxed);
  return std::min(distribution_->at(delay::uniform_at(options_.seed, 0, 0, n)), max_delay_);
}

backend_stats backend_model::stats(bool reset) {
  std::lock_guard lock(mutex_);
  const auto result = stats_;
  if (reset) {
    const auto in_flight = stats_.in_flight;
    stats_ = backend_stats{};
    stats_.in_flight = in_flight;
    stats_.peak_in_flight = in_flight;
  }
  return result;
}

void backend_model::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  waiters_.clear();
}

}  // namespace poolbench::server
