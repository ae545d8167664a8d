#include <poolbench/http/retry_policy.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::http {

std::chrono::microseconds retry_policy::wait(unsigned retry, double u,
                                             std::optional<std::uint32_t> retry_after_s) const {
  using std::chrono::microseconds;
  // base * 2^retry, computed in double so that a large retry count cannot overflow.
  const double ceiling_us = std::min(static_cast<double>(microseconds(cap).count()),
                                     static_cast<double>(microseconds(base).count()) *
                                         std::ldexp(1.0, static_cast<int>(std::min(retry, 62U))));
  auto wait = microseconds(static_cast<std::int64_t>(std::clamp(u, 0.0, 1.0) * ceiling_us));
  if (retry_after_s) {
    const auto floor = std::min(std::chrono::seconds(*retry_after_s), longest_retry_after);
    wait = std::max<microseconds>(wait, floor);
  }
  return wait;
}

std::optional<std::uint32_t> parse_retry_after(std::string_view value) noexcept {
  if (value.empty() || value.size() > 9)
    return std::nullopt;
  std::uint32_t seconds = 0;
  for (const char c : value) {
    if (c < '0' || c > '9')
      return std::nullopt;
    seconds = seconds * 10 + static_cast<std::uint32_t>(c - '0');
  }
  return seconds;
}

double backoff_jitter::next() {
  if (!engine_)
    engine_.emplace(std::random_device{}());
  return std::uniform_real_distribution<double>(0.0, 1.0)(*engine_);
}

std::string exhausted_detail(unsigned last_status, unsigned attempts, unsigned retries) {
  return "still " + std::to_string(last_status) + " after " + std::to_string(attempts) +
         " attempt" + (attempts == 1 ? "" : "s") + " (--retries " + std::to_string(retries) +
         "): the server kept refusing it";
}

}  // namespace poolbench::http
