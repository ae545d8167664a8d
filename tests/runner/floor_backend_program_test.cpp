// poolbench --floor-backend, end to end: the result file's context says which
// backend served the floor and why; where io_uring is not available (a
// seccomp filter refuses it, as container runtimes do) the default falls back
// to epoll with one line on stderr, and an explicit io_uring is refused.

#include "fake_server.hpp"
#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <poolbench/runner/floor_backend.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

struct floor_run {
  testing::run_result run;
  nlohmann::json context;  // null if no result file
};

// A one-round floor run against a hello server, by `launcher` (empty: directly).
floor_run run_floor(const std::vector<std::string>& extra, const std::string& launcher = {}) {
  testing::fake_server server(testing::hello_reply);
  const auto out = testing::unique_temp_path("poolbench_floor_backend.json");
  std::remove(out.c_str());
  std::vector<std::string> args{"--url",
                                server.url(),
                                "--strategies",
                                "floor",
                                "--batch",
                                "4",
                                "--workers",
                                "2",
                                "--keepalive=both",
                                "--rounds",
                                "1",
                                "--repetitions",
                                "1",
                                "--allow-busy",
                                "--out",
                                out};
  args.insert(args.end(), extra.begin(), extra.end());
  floor_run r;
  if (launcher.empty()) {
    r.run = testing::run_program(POOLBENCH_PATH, args, 120s);
  } else {
    args.insert(args.begin(), POOLBENCH_PATH);
    r.run = testing::run_program(launcher, args, 120s);
  }
  if (std::ifstream in(out); in)
    r.context = nlohmann::json::parse(in)["context"];
  std::remove(out.c_str());
  return r;
}

const char* const fallback_line = "poolbench: the floor runs on epoll: io_uring not available:";

TEST(floor_backend_program, epoll_when_asked_and_recorded) {
  const auto r = run_floor({"--floor-backend", "epoll"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(r.context["floor_backend"], "epoll");
  EXPECT_EQ(r.context["floor_backend_reason"], "chosen by --floor-backend epoll");
  EXPECT_EQ(r.run.err.find(fallback_line), std::string::npos) << r.run.err;
}

TEST(floor_backend_program, the_default_is_io_uring_where_there_is_one) {
  if (const auto found = probe_io_uring(); !found.available)
    GTEST_SKIP() << found.why_not;
  const auto r = run_floor({});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(r.context["floor_backend"], "io_uring");
  EXPECT_EQ(r.context["floor_backend_reason"], "the cheaper per request");
}

TEST(floor_backend_program, without_io_uring_the_default_falls_back_to_epoll_and_says_so) {
  // (Where this process has no io_uring either, the reason is another one.)
  if (const auto found = probe_io_uring(); !found.available)
    GTEST_SKIP() << found.why_not;
  const auto r = run_floor({}, WITHOUT_IO_URING_PATH);
  ASSERT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(r.context["floor_backend"], "epoll");
  EXPECT_EQ(r.context["floor_backend_reason"],
            "io_uring not available: io_uring_queue_init failed: Function not implemented");
  const auto line = r.run.err.find(fallback_line);
  ASSERT_NE(line, std::string::npos) << r.run.err;
  EXPECT_EQ(r.run.err.find(fallback_line, line + 1), std::string::npos) << "said twice";
}

TEST(floor_backend_program, without_io_uring_an_explicit_io_uring_is_refused_in_one_line) {
  if (const auto found = probe_io_uring(); !found.available)
    GTEST_SKIP() << found.why_not;
  const auto r = run_floor({"--floor-backend", "io_uring"}, WITHOUT_IO_URING_PATH);
  EXPECT_EQ(r.run.exit_code, 2);
  EXPECT_EQ(r.run.err,
            "poolbench: --floor-backend io_uring: io_uring_queue_init failed: Function not "
            "implemented\n");
  EXPECT_TRUE(r.context.is_null());
}

TEST(floor_backend_program, an_unknown_backend_is_a_usage_error) {
  const auto r = run_floor({"--floor-backend", "kqueue"});
  EXPECT_EQ(r.run.exit_code, 2);
  EXPECT_NE(r.run.err.find("--floor-backend"), std::string::npos) << r.run.err;
}

}  // namespace
}  // namespace poolbench::runner
