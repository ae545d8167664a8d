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
  explicit deadline(std::chrono::seconds limit) : start_(std::chrono::steady_clock::now()) {
    struct sigaction action {};
    action.sa_handler = &on_alarm;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGALRM, &previous_action_, nullptr);
    ::sigaction(SIGALRM, &action, nullptr);
    previous_alarm_s_ = ::alarm(static_cast<unsigned>(limit.count()));
  }
  // Hands back to the deadline that was armed before (per_test_deadline.cpp),
  // less the time spent here, so the rest of the test stays bounded.
  ~deadline() {
    ::alarm(0);
    ::sigaction(SIGALRM, &previous_action_, nullptr);
    if (previous_alarm_s_ == 0)
      return;
    const auto spent =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_)
            .count();
    const auto left = static_cast<long long>(previous_alarm_s_) - spent;
    ::alarm(left > 0 ? static_cast<unsigned>(left) : 1u);
  }
  deadline(const deadline&) = delete;
  deadline& operator=(const deadline&) = delete;

 private:
  std::chrono::steady_clock::time_point start_;
  struct sigaction previous_action_ {};
  unsigned previous_alarm_s_ = 0;

  static void on_alarm(int) {
    static constexpr char message[] = "\nDEADLINE EXCEEDED: the scenario hangs\n";
    (void)!::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(1);
  }
};

}  // namespace poolbench::test
