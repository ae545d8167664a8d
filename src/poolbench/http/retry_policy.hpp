#pragma once
// What a client does with a 429 (too many requests) or a 503 (service
// unavailable): the answers of a backend with limits. They are counted
// outcomes, not failures: the request is sent again after an exponential
// backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
// Jitter": wait = random(0, min(cap, base * 2^retry))), never shorter than
// the server's Retry-After, at most `retries` times. A request still
// rejected after that fails with a request_error(kind::rejected).

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace poolbench::http {

struct retry_policy {
  // Retries after the first attempt (poolbench --retries). Ten: against a
  // limit of 16 with 64 workers (four times the limit), five were not enough
  // for every request of a 256-request batch; the backoff's waits then add
  // up to at most about 4.3 s per request.
  unsigned retries = 10;
  std::chrono::milliseconds base{10};
  std::chrono::milliseconds cap{1000};
  // A Retry-After above this is taken as this: a benchmark does not wait an
  // hour because a server said so.
  static constexpr std::chrono::seconds longest_retry_after{60};

  // The wait before retry number `retry` (0 for the first) for a uniform
  // `u` in [0, 1), and the answer's Retry-After, if any.
  [[nodiscard]] std::chrono::microseconds wait(unsigned retry, double u,
                                               std::optional<std::uint32_t> retry_after_s) const;
};

// 429 and 503: the answers that are retried.
[[nodiscard]] constexpr bool is_rejection(unsigned status) noexcept {
  return status == 429 || status == 503;
}

// Retry-After's delta-seconds form ("120"); nullopt for anything else (the
// HTTP-date form included: then only the backoff applies).
[[nodiscard]] std::optional<std::uint32_t> parse_retry_after(std::string_view value) noexcept;

// The uniform numbers of one client's jitter, seeded on first use: a client
// that is never rejected never touches the random device.
class backoff_jitter {
 public:
  [[nodiscard]] double next();

 private:
  std::optional<std::minstd_rand> engine_;
};

// "still 503 after 6 attempts (--retries 5)": what a request that ran out of
// retries fails with.
[[nodiscard]] std::string exhausted_detail(unsigned last_status, unsigned attempts,
                                           unsigned retries);

}  // namespace poolbench::http
