#pragma once
// An HTTP answer as the clients hand it back, before any check.

#include <cstdint>
#include <optional>
#include <string>

namespace poolbench::http {

struct response {
  unsigned status = 0;
  std::string body;
  std::optional<std::uint32_t> retry_after_s;  // Retry-After, delta-seconds form only
};

}  // namespace poolbench::http
