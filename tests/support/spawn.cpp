#include "spawn.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>

namespace poolbench::testing {

pid_t spawn(const std::string& binary, const std::vector<std::string>& args, int& out_fd,
            int* err_fd) {
  int out_pipe[2], err_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe failed");
  if (err_fd && pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw std::runtime_error("pipe failed");
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const auto& a : args)
    argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    if (err_fd)
      dup2(err_pipe[1], STDERR_FILENO);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      dup2(devnull, STDIN_FILENO);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  out_fd = out_pipe[0];
  if (err_fd) {
    close(err_pipe[1]);
    *err_fd = err_pipe[0];
  }
  return pid;
}

}  // namespace poolbench::testing
