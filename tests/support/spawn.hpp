#pragma once
// Test support: fork + exec a program with its output on pipes.

#include <sys/types.h>

#include <string>
#include <vector>

namespace poolbench::testing {

// Runs `binary args...` with stdin from /dev/null, stdout into a new pipe
// (read end returned in `out_fd`) and, when `err_fd` is given, stderr into
// another. When `event_fd` is given, a third pipe's write end is left open in
// the program and named by POOLBENCH_EVENT_FD (poolbench's testing hook,
// docs/developing.md): its read end is returned there. Every read end is
// close-on-exec. Throws std::runtime_error.
pid_t spawn(const std::string& binary, const std::vector<std::string>& args, int& out_fd,
            int* err_fd, int* event_fd = nullptr);

// Sends SIGINT to `pid` and waits for it, re-checking every 100 ms for at
// most 30 s; past that, SIGKILL and wait. Always reaps. Returns the wait
// status, and in `stopped_on_its_own` whether SIGINT was enough.
int interrupt_and_reap(pid_t pid, bool* stopped_on_its_own = nullptr);

}  // namespace poolbench::testing
