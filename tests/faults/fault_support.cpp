#include "fault_support.hpp"

#include <spawn.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace poolbench::testing {
namespace {

using clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

int decode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct proc_stat {
  pid_t pid = -1;
  char state = '?';
  pid_t ppid = -1;
};

// /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and
// parentheses, so the fields after it are found from the last ')'.
std::optional<proc_stat> read_stat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text))
    return std::nullopt;
  const auto paren = text.rfind(')');
  if (paren == std::string::npos)
    return std::nullopt;
  std::istringstream rest(text.substr(paren + 1));
  proc_stat s;
  s.pid = pid;
  rest >> s.state >> s.ppid;
  if (!rest)
    return std::nullopt;
  return s;
}

std::vector<proc_stat> all_processes() {
  std::vector<proc_stat> out;
  DIR* dir = opendir("/proc");
  if (dir == nullptr)
    throw std::runtime_error("cannot read /proc");
  while (const dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0')
      continue;
    if (auto s = read_stat(static_cast<pid_t>(pid)))
      out.push_back(*s);
  }
  closedir(dir);
  return out;
}

std::string cmdline(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto& c : text)
    c = c == '\0' ? ' ' : c;
  return text;
}

}  // namespace

running_program::running_program(const std::string& binary, const std::vector<std::string>& args) {
  pid_ = spawn(binary, args, out_fd_, &err_fd_, &event_fd_);
  events_ = event_stream(event_fd_);
  // Non-blocking: the program's own children inherit the write ends, so end
  // of file may come late; the tests read what is there and wait on the pid.
  fcntl(out_fd_, F_SETFL, O_NONBLOCK);
  fcntl(err_fd_, F_SETFL, O_NONBLOCK);
}

running_program::~running_program() {
  if (!exit_code_) {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  close(out_fd_);
  close(err_fd_);
  close(event_fd_);
}

void running_program::drain() {
  for (auto [fd, text] : {std::pair{out_fd_, &out_}, std::pair{err_fd_, &err_}}) {
    for (int i = 0; i < 1024; ++i) {  // bounded: a pipe holds at most 64 KiB per call
      char buf[4096];
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0)
        break;
      text->append(buf, static_cast<std::size_t>(n));
    }
  }
}

const std::string& running_program::err() {
  drain();
  return err_;
}

const std::string& running_program::out() {
  drain();
  return out_;
}

bool running_program::wait_for_err(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    if (err().find(text) != std::string::npos)
      return true;
    if (clock::now() >= deadline)
      return false;
    pollfd p{err_fd_, POLLIN, 0};
    (void)poll(&p, 1, 20);
    if (wait_exit(0ms) && err().find(text) == std::string::npos)
      return false;  // it ended without saying it
  }
}

std::string running_program::wait_for_event(const std::string& prefix,
                                            std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  // In slices: stdout and stderr are drained between them (a full pipe
  // would stall the program before it got there).
  for (;;) {
    auto line = events_.wait_for(prefix, 50ms);
    if (!line.empty())
      return line;
    if (wait_exit(0ms) || clock::now() >= deadline)
      return events_.wait_for(prefix, 0ms);  // written just before the end
  }
}

std::optional<int> running_program::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (!exit_code_) {
    drain();  // a full pipe would stall the program
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = decode(status);
      break;
    }
    if (r < 0 && errno != EINTR)
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    if (clock::now() >= deadline)
      break;
    std::this_thread::sleep_for(10ms);
  }
  drain();
  return exit_code_;
}

void running_program::signal(int sig) const {
  if (!exit_code_)
    kill(pid_, sig);
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& p : all_processes()) {
    if (p.ppid == parent && p.state != 'Z')
      out.push_back(p.pid);
  }
  return out;
}

bool gone_within(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    const auto s = read_stat(pid);
    if (!s || s->state == 'Z')
      return true;
    if (clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(10ms);
  }
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void become_subreaper() {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
    throw std::runtime_error("prctl(PR_SET_CHILD_SUBREAPER) failed");
}

std::vector<std::string> collect_leftovers(const std::vector<pid_t>& expected) {
  std::vector<std::string> found;
  const pid_t self = getpid();
  for (const auto& p : all_processes()) {
    if (p.ppid != self)
      continue;
    bool known = false;
    for (const pid_t e : expected)
      known = known || e == p.pid;
    if (known)
      continue;
    found.push_back(std::to_string(p.pid) + " (" + p.state + ") " + cmdline(p.pid));
    if (p.state != 'Z')
      kill(p.pid, SIGKILL);
    int status = 0;
    while (waitpid(p.pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  return found;
}

std::string sanitizer_report(const std::string& stderr_text) {
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
    const auto at = stderr_text.find(marker);
    if (at != std::string::npos) {
      const auto begin = stderr_text.rfind('\n', at);
      return stderr_text.substr(
          begin == std::string::npos ? 0 : begin + 1,
          stderr_text.find('\n', at) - (begin == std::string::npos ? 0 : begin + 1));
    }
  }
  return "";
}

pid_t wait_for_embedded_server(running_program& program, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    const pid_t pid = embedded_server_pid(program.err());
    if (pid > 0 || clock::now() >= deadline || program.wait_exit(0ms))
      return pid;
    std::this_thread::sleep_for(10ms);
  }
}

std::string without_busy_warnings(const std::string& stderr_text) {
  std::string kept;
  std::size_t start = 0;
  bool in_warning = false;  // the warning wraps: its continuation lines are indented
  while (start < stderr_text.size()) {
    const auto end = std::min(stderr_text.find('\n', start), stderr_text.size());
    const auto line = stderr_text.substr(start, end - start);
    in_warning = line.rfind("poolbench: the machine is busy", 0) == 0 ||
                 (in_warning && line.rfind("  ", 0) == 0);
    if (!in_warning)
      kept += line + (end < stderr_text.size() ? "\n" : "");
    start = end + 1;
  }
  return kept;
}

}  // namespace poolbench::testing
