#include <poolbench/executor/detail/process_worker.hpp>

#include <cxxabi.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <typeinfo>

namespace poolbench::detail {

namespace {

std::string demangle(const char* name) {
  int status = 0;
  char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string result = status == 0 && readable != nullptr ? readable : name;
  std::free(readable);
  return result;
}

// Blocking send; MSG_NOSIGNAL makes a vanished parent EPIPE, never SIGPIPE.
bool send_all(int fd, const char* data, std::size_t size) noexcept {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Blocks until the next request body arrives; false once the pool shut the
// socket down (shutdown, recycling) or went away.
bool receive_request(int fd, frame_splitter& inbox, std::string& request) {
  char chunk[64 * 1024];
  while (!inbox.next(request)) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    inbox.append(chunk, static_cast<std::size_t>(n));
  }
  return true;
}

void run_request(const std::string& request, std::string& reply) {
  reply.assign(frame_header_size, '\0');
  reply.push_back(reply_ok);
  try {
    wire::reader in(request);
    const auto thunk = reinterpret_cast<process_thunk>(
        static_cast<std::uintptr_t>(wire::decode<std::uint64_t>(in)));
    const auto fn = wire::decode<std::uint64_t>(in);
    thunk(fn, in, reply);
  } catch (const std::exception& e) {
    make_error_reply(reply, demangle(typeid(e).name()), e.what());
  } catch (...) {
    make_error_reply(reply, "unknown", "unknown exception (not derived from std::exception)");
  }
}

void close_inherited(int fd, const std::vector<int>& parent_fds,
                     const process_pool_options& options) {
  // Sibling sockets must close here, or a sibling would never see EOF. The
  // list is sorted (by the parent, before fork: no allocation here) and
  // mostly consecutive, so each run goes in one close_range: the k-th worker
  // of a pool inherits 2k descriptors, and one close() each made forking
  // 4096 workers quadratic in system calls.
  for (std::size_t i = 0; i < parent_fds.size();) {
    std::size_t last = i;
    while (last + 1 < parent_fds.size() && parent_fds[last + 1] == parent_fds[last] + 1) {
      ++last;
    }
    ::close_range(static_cast<unsigned>(parent_fds[i]), static_cast<unsigned>(parent_fds[last]), 0);
    i = last + 1;
  }
  if (options.close_inherited_fds) {
    if (fd > 3) {
      ::close_range(3, static_cast<unsigned>(fd) - 1, 0);
    }
    ::close_range(static_cast<unsigned>(std::max(fd + 1, 3)), ~0U, 0);
  }
}

}  // namespace

void make_error_reply(std::string& reply, std::string_view type, std::string_view message) {
  reply.resize(frame_header_size);
  reply.push_back(reply_error);
  wire::encode(reply, std::string(type));
  wire::encode(reply, std::string(message));
}

void seal_reply(std::string& reply, std::size_t limit) {
  if (reply.size() - frame_header_size > limit) {
    const std::string what = "process_pool_executor: the result of " +
                             std::to_string(reply.size() - frame_header_size - 1) +
                             " bytes is over the " + std::to_string(limit) + "-byte message limit";
    make_error_reply(reply, "std::length_error", what);
  }
  seal_frame(reply, limit);
}

// Only the worker loop runs here: no lock of the parent is touched, and it
// leaves with _exit (no atexit, no stdio flush).
void worker_main(int fd, const std::vector<int>& parent_fds, pid_t parent,
                 const process_pool_options& options) {
  // Die with the parent; if it already died before prctl, getppid() shows it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) {
    ::_exit(1);
  }
  close_inherited(fd, parent_fds, options);
  if (options.initializer) {
    try {
      options.initializer();
    } catch (...) {
      ::_exit(initializer_failed_exit);
    }
  }
  frame_splitter inbox;
  std::string request;
  std::string reply;
  while (receive_request(fd, inbox, request)) {
    run_request(request, reply);
    seal_reply(reply);
    if (!send_all(fd, reply.data(), reply.size())) {
      break;
    }
  }
  ::_exit(0);
}

std::string describe_status(pid_t pid, int status) {
  std::string who = "process_pool_executor: worker " + std::to_string(pid);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::sigdescr_np(sig);
    return who + " was killed by signal " + std::to_string(sig) + " (" +
           (name != nullptr ? name : "unknown") + ")";
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == initializer_failed_exit) {
      return who + " exited: its initializer threw";
    }
    return who + " exited unexpectedly with status " + std::to_string(WEXITSTATUS(status));
  }
  return who + " died";
}

}  // namespace poolbench::detail
