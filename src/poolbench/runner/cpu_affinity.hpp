#pragma once
// CPU pinning (sched_setaffinity) for the client and the embedded server, so
// that on a small machine the two do not migrate across each other's cores
// from one repetition to the next: less noise, not more speed.

#include <sched.h>

#include <string>
#include <string_view>
#include <vector>

namespace poolbench::runner {

// "1", "0,2", "0-3,6": the CPUs named, in order, without repeats. Throws
// std::invalid_argument naming the text when it is malformed or names a CPU
// this machine does not have.
[[nodiscard]] std::vector<int> parse_cpu_list(std::string_view text);

// The same list as text, "0-3,6" style.
[[nodiscard]] std::string format_cpu_list(const std::vector<int>& cpus);

[[nodiscard]] cpu_set_t to_cpu_set(const std::vector<int>& cpus);

// Pins the calling process (every thread and child it starts later inherits
// it). Throws std::system_error.
void pin_this_process(const std::vector<int>& cpus);

}  // namespace poolbench::runner
