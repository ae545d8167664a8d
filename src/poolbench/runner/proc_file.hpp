#pragma once
// A small /proc file, read whole in one go: the kernel generates it on read,
// so there is nothing to seek and no size to ask for first.

#include <optional>
#include <string>

namespace poolbench::runner {

// The file's text, or nullopt when it cannot be opened or read (a process
// that exited, a kernel without the file).
[[nodiscard]] std::optional<std::string> read_proc_file(const std::string& path);

}  // namespace poolbench::runner
