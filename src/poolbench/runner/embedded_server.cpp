#include <poolbench/runner/embedded_server.hpp>

#include <poolbench/runner/cpu_affinity.hpp>
#include <poolbench/runner/scratch_file.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace poolbench::runner {
namespace {

using clock = std::chrono::steady_clock;

// Waits for `pid` to exit for at most `ms`, using only async-signal-safe
// calls (the signal handler below uses it too). True once reaped or gone.
bool reap_within(pid_t pid, long ms) {
  for (long waited = 0;; waited += 5) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD))
      return true;
    if (waited >= ms)
      return false;
    const timespec pause{0, 5'000'000};
    nanosleep(&pause, nullptr);
  }
}

void terminate_and_reap(pid_t pid) {
  kill(pid, SIGTERM);
  if (!reap_within(pid, 10'000)) {
    kill(pid, SIGKILL);
    reap_within(pid, 10'000);
  }
}

std::atomic<pid_t> g_child{-1};
std::atomic<pid_t> g_owner{-1};  // forked pool workers inherit the handler: they must not act

// Stops the embedded server and removes scratch result files, then dies of
// the signal as if there were no handler.
void on_fatal_signal(int sig) {
  if (getpid() == g_owner.load()) {
    const pid_t child = g_child.exchange(-1);
    if (child > 0)
      terminate_and_reap(child);
    remove_scratch_files();
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

embedded_server::embedded_server(const std::string& binary, std::size_t threads,
                                 const std::vector<int>& cpus, const std::string& io_model,
                                 std::chrono::milliseconds ready_timeout,
                                 const std::vector<std::string>& extra_args) {
  if (access(binary.c_str(), X_OK) != 0) {
    throw std::runtime_error("cannot start the embedded server: no executable " + binary);
  }
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0)
    throw std::runtime_error("cannot start the embedded server: pipe");
  const std::string threads_arg = std::to_string(threads);
  // A short shutdown grace: when poolbench is interrupted mid-request, nobody
  // is left to read the delayed answers the server would wait for.
  std::vector<const char*> argv = {
      binary.c_str(), "--address",         "127.0.0.1",  "--port",         "0",
      "--threads",    threads_arg.c_str(), "--io-model", io_model.c_str(), "--shutdown-grace-ms",
      "500"};
  for (const auto& arg : extra_args)
    argv.push_back(arg.c_str());
  argv.push_back(nullptr);
  const cpu_set_t cpu_set = to_cpu_set(cpus);  // built before fork: the child only calls the kernel
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    close(out[0]);
    close(out[1]);
    throw std::runtime_error("cannot start the embedded server: fork failed");
  }
  if (pid_ == 0) {
    // Its own process group: a terminal's Ctrl-C reaches poolbench, which
    // stops the server in order. If poolbench dies without cleaning up
    // (SIGKILL), the kernel sends the server SIGTERM.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
      _exit(1);  // poolbench already died
    if (!cpus.empty() && sched_setaffinity(0, sizeof cpu_set, &cpu_set) != 0)
      _exit(1);
    dup2(out[1], STDOUT_FILENO);
    execv(binary.c_str(), const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  close(out[1]);

  // Read the one "listening on http://127.0.0.1:PORT" line, with a deadline.
  const auto deadline = clock::now() + ready_timeout;
  std::string line;
  while (line.find('\n') == std::string::npos) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    pollfd p{out[0], POLLIN, 0};
    const int ready = left.count() > 0 ? poll(&p, 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR)
      continue;
    char buf[256];
    const ssize_t n = ready > 0 ? read(out[0], buf, sizeof buf) : 0;
    if (n <= 0)
      break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  close(out[0]);  // the server prints nothing else on stdout
  constexpr std::string_view prefix = "listening on ";
  const auto newline = line.find('\n');
  if (line.rfind(prefix, 0) != 0 || newline == std::string::npos) {
    stop();
    throw std::runtime_error("the embedded server " + binary +
                             " did not report 'listening on http://...' within " +
                             std::to_string(ready_timeout.count()) + " ms");
  }
  url_ = line.substr(prefix.size(), newline - prefix.size());
}

embedded_server::~embedded_server() {
  stop();
}

void embedded_server::stop() noexcept {
  if (pid_ <= 0)
    return;
  if (g_child.load() == pid_)
    g_child.store(-1);
  terminate_and_reap(pid_);
  pid_ = -1;
}

namespace {

std::string& installed_server_binary() {
  static std::string path;
  return path;
}

}  // namespace

void set_installed_server_binary(std::string path) {
  installed_server_binary() = std::move(path);
}

std::string server_binary_next_to_self() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0)
    return "poolbench-server";
  std::string self(path, static_cast<std::size_t>(n));
  auto next_to_self = self.substr(0, self.rfind('/') + 1) + "poolbench-server";
  if (access(next_to_self.c_str(), X_OK) != 0 && !installed_server_binary().empty())
    return installed_server_binary();
  return next_to_self;
}

void clean_up_on_fatal_signals() {
  g_owner.store(getpid());
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  // Interruptions, and crashes: even an abort leaves no server and no scratch file.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE})
    sigaction(sig, &action, nullptr);
}

void stop_child_on_signal(pid_t pid) {
  if (pid > 0)
    clean_up_on_fatal_signals();
  g_child.store(pid);
}

}  // namespace poolbench::runner
