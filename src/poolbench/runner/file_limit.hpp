#pragma once
// The descriptor limit. A process pool holds a socketpair and a pidfd per
// worker and every keep-alive client a socket, so 4096 workers need more
// than the usual soft limit of 1024; the hard limit is the administrator's
// and stays as it is.

#include <cstdint>

namespace poolbench::runner {

struct file_limits {
  std::uint64_t soft_before = 0;  // the soft limit this process started with
  std::uint64_t soft = 0;         // the soft limit now
  std::uint64_t hard = 0;         // RLIM_INFINITY as UINT64_MAX
};

// Raises the soft RLIMIT_NOFILE to the hard limit (children inherit it) and
// returns the limits, for the run's context. Throws std::system_error when
// the limit cannot be read or set.
[[nodiscard]] file_limits raise_open_file_limit();

}  // namespace poolbench::runner
