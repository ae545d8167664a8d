// The context's server_backend: what the embedded server's event loop waits
// on, read from the running server. Each build of poolbench-server is told
// apart by its descriptors alone, and a run records the one poolbench starts.

#include <poolbench/runner/embedded_server.hpp>
#include <poolbench/runner/server_backend.hpp>
#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

TEST(server_backend, the_epoll_build_reads_as_epoll) {
  embedded_server server(POOLBENCH_SERVER_PATH, 1, {}, "shared");
  EXPECT_EQ(event_backend_of(server.pid()), "epoll");
}

#ifdef POOLBENCH_SERVER_URING_PATH
TEST(server_backend, the_io_uring_build_reads_as_io_uring) {
  embedded_server server(POOLBENCH_SERVER_URING_PATH, 2, {}, "reuseport");
  EXPECT_EQ(event_backend_of(server.pid()), "io_uring");
}
#endif

TEST(server_backend, a_process_without_an_event_loop_or_gone_is_unknown) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pause();  // holds no epoll instance and no ring
    _exit(0);
  }
  EXPECT_EQ(event_backend_of(child), "unknown");
  kill(child, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(event_backend_of(child), "unknown");  // reaped: no /proc entry
  EXPECT_EQ(event_backend_of(-1), "unknown");
}

TEST(server_backend, a_run_records_the_embedded_servers_backend) {
  const std::string out = testing::unique_temp_path("server_backend.json");
  const auto run =
      testing::run_program(POOLBENCH_PATH,
                           {"--strategies", "serial", "--modes", "warm", "--names", "a", "--rounds",
                            "2", "--repetitions", "1", "--allow-busy", "--out", out},
                           60s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::remove(out.c_str());
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["context"]["server_backend"], "epoll");  // poolbench starts poolbench-server
}

}  // namespace
}  // namespace poolbench::runner
