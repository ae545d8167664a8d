#include "spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace poolbench::testing {
namespace {

void close_both(int (&fds)[2]) {
  for (int& fd : fds) {
    if (fd >= 0)
      close(fd);
    fd = -1;
  }
}

}  // namespace

pid_t spawn(const std::string& binary, const std::vector<std::string>& args, int& out_fd,
            int* err_fd, int* event_fd) {
  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, event_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || (err_fd && pipe2(err_pipe, O_CLOEXEC) != 0) ||
      (event_fd && pipe2(event_pipe, O_CLOEXEC) != 0)) {
    close_both(out_pipe);
    close_both(err_pipe);
    close_both(event_pipe);
    throw std::runtime_error("pipe failed");
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // The environment is built before fork: the child only calls what is
  // async-signal-safe (the test process may have threads).
  const std::string event_var = "POOLBENCH_EVENT_FD=" + std::to_string(event_pipe[1]);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "POOLBENCH_EVENT_FD=", 19) != 0)
      envp.push_back(*e);
  }
  if (event_fd)
    envp.push_back(const_cast<char*>(event_var.c_str()));
  envp.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    if (err_fd)
      dup2(err_pipe[1], STDERR_FILENO);
    if (event_fd)
      fcntl(event_pipe[1], F_SETFD, 0);  // survives the exec
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      dup2(devnull, STDIN_FILENO);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  out_fd = out_pipe[0];
  if (err_fd) {
    close(err_pipe[1]);
    *err_fd = err_pipe[0];
  }
  if (event_fd) {
    close(event_pipe[1]);
    *event_fd = event_pipe[0];
  }
  return pid;
}

int interrupt_and_reap(pid_t pid, bool* stopped_on_its_own) {
  kill(pid, SIGINT);
  int status = 0;
  pid_t reaped = 0;
  for (int i = 0; i < 300 && reaped == 0; ++i) {  // at most 30 s
    reaped = waitpid(pid, &status, WNOHANG);
    if (reaped == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (stopped_on_its_own)
    *stopped_on_its_own = reaped != 0;
  if (reaped == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  return status;
}

}  // namespace poolbench::testing
