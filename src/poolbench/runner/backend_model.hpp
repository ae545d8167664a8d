#pragma once
// The backend model the embedded poolbench-server runs (docs/server.md):
// a concurrency limit (reject or queue past it), a token-bucket rate limit,
// and a delay that grows with what is in flight. All off by default: the
// plain hello server. Set with poolbench --server-max-in-flight,
// --server-over-limit, --server-rate-limit, --server-rate-burst and
// --server-overload-us, and passed through as the server's own flags.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::runner {

struct backend_model {
  std::optional<std::size_t> max_in_flight;  // --max-in-flight N
  std::optional<std::string> over_limit;     // --over-limit reject|queue
  std::optional<double> rate_limit;          // --rate-limit R (requests per second)
  std::optional<double> rate_burst;          // --rate-burst B
  std::optional<double> overload_us;         // --overload-us F

  [[nodiscard]] bool any() const {
    return max_in_flight || over_limit || rate_limit || rate_burst || overload_us;
  }
  // poolbench-server's flags for this model, in a fixed order.
  [[nodiscard]] std::vector<std::string> server_arguments() const;
};

}  // namespace poolbench::runner
