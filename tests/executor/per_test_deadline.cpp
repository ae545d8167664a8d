// Every executor test runs under a deadline, whatever it waits for (a
// future's get(), a join, an event loop): a hang fails that test within
// per_test_limit, well inside ctest's 300 s timeout, instead of stalling CI
// until ctest kills it. SIGALRM, as in deadline.hpp: no helper thread, so the
// process pool's fork-safety check still sees a single-threaded parent, and
// forked workers do not inherit the alarm. A test's own, tighter
// poolbench::test::deadline takes over while it lives and then re-arms this
// one for what is left of it.

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace {

constexpr unsigned per_test_limit_s = 150;

// Written before the alarm is armed, read by the handler: no allocation there.
char running_test[256] = "";

void on_alarm(int) {
  static constexpr char prefix[] = "\nDEADLINE EXCEEDED: ";
  static constexpr char suffix[] = " still running after its per-test limit (150 s)\n";
  (void)!::write(STDERR_FILENO, prefix, sizeof prefix - 1);
  (void)!::write(STDERR_FILENO, running_test, std::strlen(running_test));
  (void)!::write(STDERR_FILENO, suffix, sizeof suffix - 1);
  ::_exit(1);
}

class per_test_deadline : public ::testing::EmptyTestEventListener {
  void OnTestStart(const ::testing::TestInfo& test) override {
    std::snprintf(running_test, sizeof running_test, "%s.%s", test.test_suite_name(), test.name());
    struct sigaction action {};
    action.sa_handler = &on_alarm;
    ::sigemptyset(&action.sa_mask);
    ::sigaction(SIGALRM, &action, nullptr);
    ::alarm(per_test_limit_s);
  }
  void OnTestEnd(const ::testing::TestInfo&) override { ::alarm(0); }
};

// Installed before main (gtest_main) runs the tests.
const bool installed = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new per_test_deadline);
  return true;
}();

}  // namespace
