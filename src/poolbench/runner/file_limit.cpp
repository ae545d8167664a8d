#include <poolbench/runner/file_limit.hpp>

#include <sys/resource.h>

#include <cerrno>
#include <system_error>

namespace poolbench::runner {

file_limits raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
    throw std::system_error(errno, std::generic_category(), "getrlimit(RLIMIT_NOFILE)");
  file_limits out;
  out.soft_before = static_cast<std::uint64_t>(limit.rlim_cur);
  out.hard = static_cast<std::uint64_t>(limit.rlim_max);
  if (limit.rlim_cur != limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0)
      throw std::system_error(errno, std::generic_category(), "setrlimit(RLIMIT_NOFILE)");
  }
  out.soft = static_cast<std::uint64_t>(limit.rlim_cur);
  return out;
}

}  // namespace poolbench::runner
