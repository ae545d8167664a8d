#pragma once
// A deadline for a test scenario that used to hang. While a `deadline` lives,
// SIGALRM is armed: if the scenario is still running when it fires, the test
// process prints which deadline passed and exits with status 1, so ctest
// records a failure instead of stalling until its own timeout. No helper
// thread is involved, so it also guards the process pool, whose fork-safety
// check refuses to fork while other threads run. Forked children do not
// inherit a pending alarm.

#include <signal.h>
#include <unistd.h>

#include <chrono>

namespace poolbench::test {

class deadline {
 public:
  explicit deadline(std::chrono::seconds limit) {
    struct sigaction action {};
    action.sa_handler = &on_alarm;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGALRM, &action, nullptr);
    ::alarm(static_cast<unsigned>(limit.count()));
  }
  ~deadline() { ::alarm(0); }
  deadline(const deadline&) = delete;
  deadline& operator=(const deadline&) = delete;

 private:
  static void on_alarm(int) {
    static constexpr char message[] = "\nDEADLINE EXCEEDED: the scenario hangs\n";
    (void)!::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(1);
  }
};

}  // namespace poolbench::test
