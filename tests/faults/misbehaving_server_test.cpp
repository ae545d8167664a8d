// Fault: a server that answers, but wrongly — a wrong body, a truncated
// response, a 500, or no answer at all. Each strategy reaches the server
// through its own client path (serial and thread_pool: the blocking client on
// this or a pool thread; process_pool: the blocking client in a forked worker;
// async_pool: the coroutine client; floor: raw sockets on io_uring, or on
// epoll where io_uring is not available), so each is
// tried on each. Every one must
// end with a line naming the request and the fault, exit 1, and never a
// silent result; the stall must end by the read timeout.

#include "fake_server.hpp"
#include "fault_support.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace poolbench::testing {
namespace {

using namespace std::chrono_literals;

enum class fault { wrong_body, truncated, status_500, stall };

struct misbehaviour {
  fault what;
  const char* strategy;
};

std::string fault_name(fault f) {
  switch (f) {
    case fault::wrong_body:
      return "wrong_body";
    case fault::truncated:
      return "truncated";
    case fault::status_500:
      return "status_500";
    case fault::stall:
      return "stall";
  }
  return "?";
}

fake_reply reply_for(fault f) {
  using action = fake_reply::action;
  switch (f) {
    case fault::wrong_body:
      return {action::answer, raw_http_response(200, "Hello, tybalt")};
    case fault::truncated:  // 100 bytes announced, 5 sent, then the server closes
      return {action::answer,
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
              "Content-Length: 100\r\n\r\nHello"};
    case fault::status_500:
      return {action::answer, raw_http_response(500, "Internal Server Error")};
    case fault::stall:  // reads the request, never answers
      return {action::hang, ""};
  }
  return {};
}

// What the line must say about the request for name "romeo".
std::string expected_detail(fault f) {
  switch (f) {
    case fault::wrong_body:
      return "expected 200 'Hello, romeo', got 200 'Hello, tybalt'";
    case fault::truncated:
      return "truncated answer";
    case fault::status_500:
      return "expected 200 'Hello, romeo', got 500 'Internal Server Error'";
    case fault::stall:
      return "no complete answer within 1000 ms";
  }
  return "?";
}

// Names the case in test names (and so in results/RELIABILITY.md).
void PrintTo(const misbehaviour& m, std::ostream* os) {
  *os << fault_name(m.what) << "_" << m.strategy;
}

class misbehaving_server : public ::testing::TestWithParam<misbehaviour> {};

TEST_P(misbehaving_server, fails_the_case_naming_request_and_fault) {
  become_subreaper();
  const auto [what, strategy] = GetParam();
  // The server closes each connection after one answer, so a truncated
  // answer ends in end of file (not in a wait for the missing bytes).
  fake_server fake([f = what](std::string_view) { return reply_for(f); }, 1);
  running_program poolbench(
      POOLBENCH_PATH,
      {"--url", fake.url(), "--strategies", strategy, "--modes", "warm", "--workers", "2",
       "--names", "romeo", "--rounds", "1", "--repetitions", "1", "--read-timeout-ms", "1000"});
  // Bounded far above what the read timeout allows (probe + verification).
  const auto code = poolbench.wait_exit(60s);
  ASSERT_TRUE(code.has_value()) << "poolbench hung on a misbehaving server\n" << poolbench.err();
  EXPECT_EQ(*code, 1) << poolbench.err();

  const std::string s = strategy;
  const std::string name =
      s == "floor" ? "floor/batch:1/delay_ms:0"
                   : s + "/warm/batch:1/workers:" + (s == "serial" ? "1" : "2") + "/delay_ms:0";
  const std::string line =
      "poolbench: " + name + ": GET " + fake.url() + "/romeo: " + expected_detail(what);
  const std::string err = poolbench.err();
  EXPECT_EQ(sanitizer_report(err), "") << err;
  EXPECT_NE(err.find(line), std::string::npos) << "expected a line starting\n"
                                               << line << "\ngot:\n"
                                               << err;
  if (what == fault::wrong_body || what == fault::status_500) {
    // An answer, but not the expected one, to the first request checked:
    // the wrong server, said once, and the run stops there.
    EXPECT_NE(err.find("; stopped at the first answer checked"), std::string::npos) << err;
  } else {
    EXPECT_NE(err.find("1 case(s) failed"), std::string::npos) << err;
  }
  const auto leftovers = collect_leftovers();
  EXPECT_TRUE(leftovers.empty()) << "left behind: " << ::testing::PrintToString(leftovers);
}

std::vector<misbehaviour> every_fault_and_strategy() {
  std::vector<misbehaviour> out;
  for (const fault f : {fault::wrong_body, fault::truncated, fault::status_500, fault::stall}) {
    for (const char* s : {"serial", "thread_pool", "process_pool", "async_pool", "floor"})
      out.push_back({f, s});
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(every_strategy, misbehaving_server,
                         ::testing::ValuesIn(every_fault_and_strategy()));

}  // namespace
}  // namespace poolbench::testing
