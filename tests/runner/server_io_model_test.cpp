// --server-io-model: the embedded server runs the I/O model poolbench was
// asked for, and the result file says which. What tells the two models apart
// from outside is the server's listening sockets: `reuseport` opens one
// acceptor per thread on the one port, `shared` one acceptor in all.

#include <poolbench/runner/embedded_server.hpp>
#include "embedded_server_line.hpp"
#include "server_process.hpp"
#include "spawn.hpp"
#include "unique_temp_path.hpp"

#include <nlohmann/json.hpp>

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

// Listening TCP sockets that process `pid` holds: its socket descriptors'
// inodes, matched against the LISTEN (0A) entries of its /proc/<pid>/net/tcp.
std::size_t listening_sockets(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::set<std::string> inodes;
  if (DIR* d = opendir((proc + "/fd").c_str())) {
    while (const dirent* e = readdir(d)) {
      char target[PATH_MAX];
      const std::string link = proc + "/fd/" + e->d_name;
      const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
      if (n <= 0)
        continue;
      const std::string text(target, static_cast<std::size_t>(n));
      if (text.rfind("socket:[", 0) == 0)
        inodes.insert(text.substr(8, text.size() - 9));
    }
    closedir(d);
  }
  std::ifstream tcp(proc + "/net/tcp");
  std::string line;
  std::getline(tcp, line);  // the heading
  std::size_t listening = 0;
  while (std::getline(tcp, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
        timeout >> inode;
    if (state == "0A" && inodes.count(inode) > 0)
      ++listening;
  }
  return listening;
}

TEST(server_io_model, embedded_server_starts_the_model_it_is_given) {
  {
    embedded_server server(POOLBENCH_SERVER_PATH, 2, {}, "reuseport");
    EXPECT_EQ(listening_sockets(server.pid()), 2u);
  }
  embedded_server server(POOLBENCH_SERVER_PATH, 2, {}, "shared");
  EXPECT_EQ(listening_sockets(server.pid()), 1u);
}

// From the command line to the server poolbench starts: while a run is busy
// (300 ms per request), the embedded server's acceptors are counted.
TEST(server_io_model, poolbench_passes_its_option_to_the_embedded_server) {
  int out_fd = -1, err_fd = -1;
  const pid_t pid = testing::spawn(
      POOLBENCH_PATH,
      {"--strategies", "serial", "--modes", "warm", "--names", "a", "--delay-ms", "300", "--rounds",
       "100", "--repetitions", "1", "--server-threads", "2", "--server-io-model", "reuseport",
       "--allow-busy", "--out", testing::unique_temp_path("io_model_busy.json")},
      out_fd, &err_fd);
  std::string err;
  const pid_t server = testing::read_until_embedded_server(err_fd, err, 60s);
  const std::size_t listening = server > 0 ? listening_sockets(server) : 0;
  (void)testing::interrupt_and_reap(pid);
  close(out_fd);
  close(err_fd);
  EXPECT_EQ(listening, 2u) << err;
}

nlohmann::json context_of_run(const std::vector<std::string>& extra) {
  const std::string out = testing::unique_temp_path("io_model.json");
  std::vector<std::string> args = {
      "--strategies",  "async_pool", "--modes",      "warm",  "--names", "a,b", "--rounds", "2",
      "--repetitions", "1",          "--allow-busy", "--out", out};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto run = testing::run_program(POOLBENCH_PATH, args, 60s);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  std::remove(out.c_str());
  return doc.is_object() ? doc["context"] : nlohmann::json();
}

TEST(server_io_model, a_reuseport_server_of_two_threads_serves_a_case_and_is_recorded) {
  const auto context = context_of_run({"--server-threads", "2", "--server-io-model", "reuseport"});
  EXPECT_EQ(context["server_io_model"], "reuseport");
  EXPECT_EQ(context["server_threads"], 2);
  EXPECT_EQ(context_of_run({})["server_io_model"], "shared");  // the default, as poolbench-server
}

TEST(server_io_model, bad_value_or_url_exits_2_with_one_line) {
  auto run = testing::run_program(POOLBENCH_PATH, {"--quick", "--server-io-model", "forked"}, 30s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--server-io-model"), std::string::npos) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  run = testing::run_program(
      POOLBENCH_PATH, {"--url", "http://127.0.0.1:1/", "--server-io-model", "shared", "--quick"},
      30s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--url's server is not poolbench's to configure"), std::string::npos)
      << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

}  // namespace
}  // namespace poolbench::runner
