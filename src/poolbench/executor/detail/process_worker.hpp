#pragma once
// The worker's side of process_pool_executor: what a forked child runs, the
// replies it sends, and how the parent describes a child's exit.

#include <poolbench/executor/detail/frame.hpp>
#include <poolbench/executor/process_pool_executor.hpp>

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace poolbench::detail {

// A reply body starts with one of these, then the encoded result or the
// encoded (exception type, message) pair.
inline constexpr char reply_ok = 0;
inline constexpr char reply_error = 1;
// The child's exit status when its initializer threw.
inline constexpr int initializer_failed_exit = 3;

// The child's whole life after fork(): serves requests on `fd` until the
// pool shuts the socket down. Closes `parent_fds` (the pool's other
// descriptors, sorted ascending) first. Never returns; leaves with _exit.
[[noreturn]] void worker_main(int fd, const std::vector<int>& parent_fds, pid_t parent,
                              const process_pool_options& options);

// Replaces `reply` (a frame under construction) by an error reply.
void make_error_reply(std::string& reply, std::string_view type, std::string_view message);

// Seals a reply frame; a result body over `limit` (4 GiB on the wire)
// becomes an error reply instead, so it fails only its own future.
void seal_reply(std::string& reply, std::size_t limit = max_frame_body);

// "worker 123 was killed by signal 9 (Killed)" and the like, for broken_pool.
[[nodiscard]] std::string describe_status(pid_t pid, int status);

}  // namespace poolbench::detail
