#include <poolbench/runner/scratch_file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace poolbench::runner {
namespace {

// Scratch files a signal handler may have to remove. Fixed storage, because
// a handler may neither allocate nor lock; a slot is published (`used`) only
// once its path is complete.
struct registry_slot {
  std::atomic<bool> used{false};
  std::array<char, 4096> path{};
};
std::array<registry_slot, 8> g_registry;

int register_path(const std::string& path) {
  if (path.size() >= registry_slot{}.path.size())
    return -1;
  for (std::size_t i = 0; i < g_registry.size(); ++i) {
    auto& slot = g_registry[i];
    if (slot.used.load())
      continue;
    std::memcpy(slot.path.data(), path.c_str(), path.size() + 1);
    slot.used.store(true);
    return static_cast<int>(i);
  }
  return -1;  // more scratch files than slots: only the destructor removes this one
}

void unregister(int slot) {
  if (slot >= 0)
    g_registry[static_cast<std::size_t>(slot)].used.store(false);
}

std::string errno_text() {
  return std::strerror(errno);
}

}  // namespace

scratch_file::scratch_file(const std::string& destination, std::string_view tag) {
  const auto slash = destination.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : destination.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? destination : destination.substr(slash + 1);
  std::string name = dir + "." + base + "." + std::string(tag) + "-XXXXXX";
  const int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error("cannot create a file beside " + destination + ": " + errno_text());
  }
  // mkostemp makes the file private (0600); a result file is an ordinary
  // file, readable like any other the user writes.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  path_ = std::move(name);
  slot_ = register_path(path_);
}

scratch_file::~scratch_file() {
  unregister(slot_);
  if (!committed_)
    ::unlink(path_.c_str());
}

void scratch_file::write(std::string_view text) {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error(path_ + ": cannot open: " + errno_text());
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      const std::string why = errno_text();
      ::close(fd);
      throw std::runtime_error(path_ + ": cannot write: " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  // On disk before the rename makes it visible: a crash leaves the old file
  // or the whole new one, never an empty one.
  const bool synced = ::fsync(fd) == 0;
  const std::string why = synced ? "" : errno_text();
  ::close(fd);
  if (!synced)
    throw std::runtime_error(path_ + ": cannot flush to disk: " + why);
}

void scratch_file::commit_to(const std::string& destination) {
  if (std::rename(path_.c_str(), destination.c_str()) != 0) {
    throw std::runtime_error("cannot replace " + destination + ": " + errno_text());
  }
  committed_ = true;
  unregister(slot_);
  slot_ = -1;
}

void write_file_atomically(const std::string& path, std::string_view text) {
  scratch_file scratch(path, "tmp");
  scratch.write(text);
  scratch.commit_to(path);
}

void remove_scratch_files() noexcept {
  for (auto& slot : g_registry) {
    if (slot.used.exchange(false))
      ::unlink(slot.path.data());
  }
}

}  // namespace poolbench::runner
