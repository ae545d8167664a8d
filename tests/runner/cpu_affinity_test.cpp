#include <poolbench/runner/cpu_affinity.hpp>
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

#include <fstream>
#include <map>
#include <stdexcept>
#include <thread>

namespace poolbench::runner {
namespace {

using namespace std::chrono_literals;

TEST(cpu_affinity, parses_lists_and_ranges) {
  EXPECT_EQ(parse_cpu_list("0"), std::vector<int>{0});
  EXPECT_EQ(parse_cpu_list("1,0"), (std::vector<int>{1, 0}));
  EXPECT_EQ(parse_cpu_list("0-1,0"), (std::vector<int>{0, 1}));
  EXPECT_EQ(format_cpu_list({3, 0, 1, 2, 6}), "0-3,6");
  EXPECT_EQ(format_cpu_list({1}), "1");
}

TEST(cpu_affinity, rejects_malformed_lists_and_missing_cpus) {
  for (const char* bad : {"", "a", "1-", "-1", "2-1", "0,,1", "0 ", "100000"})
    EXPECT_THROW((void)parse_cpu_list(bad), std::invalid_argument) << bad;
}

TEST(cpu_affinity, pinned_run_records_its_cpus) {
  const std::string out = testing::unique_temp_path("pinned.json");
  const auto run = testing::run_program(
      POOLBENCH_PATH,
      {"--strategies", "serial,async_pool", "--modes", "warm", "--names", "a", "--rounds", "2",
       "--repetitions", "1", "--client-cpus", "0", "--server-cpus", "0", "--out", out},
      60s);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::ifstream in(out);
  const auto doc = nlohmann::json::parse(in);
  std::remove(out.c_str());
  EXPECT_EQ(doc["context"]["client_cpus"], "0");
  EXPECT_EQ(doc["context"]["server_cpus"], "0");
}

// Cpus_allowed_list of every thread of `pid`, by thread id, from /proc.
std::map<std::string, std::string> thread_cpus(pid_t pid) {
  std::map<std::string, std::string> out;
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr)
    return out;
  while (const dirent* e = readdir(d)) {
    if (e->d_name[0] == '.')
      continue;
    std::ifstream status(dir + "/" + e->d_name + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("Cpus_allowed_list:", 0) == 0)
        out[e->d_name] = line.substr(line.find_first_not_of(" \t", 18));
    }
  }
  closedir(d);
  return out;
}

// What the threads have, not what the file says: while a pinned run is busy
// (a warm pool of 3 threads, 300 ms per request), every thread of poolbench
// and of its embedded server is read from /proc. Client and server get
// different CPUs, so neither can pass by inheriting the other's mask. Needs
// two CPUs (the machine's minimum here).
TEST(cpu_affinity, every_thread_runs_on_the_cpus_it_was_pinned_to) {
  if (std::thread::hardware_concurrency() < 2)
    GTEST_SKIP() << "one CPU: client and server cannot be told apart";
  const std::string out = testing::unique_temp_path("pinned_threads.json");
  int out_fd = -1, err_fd = -1;
  const pid_t pid = testing::spawn(POOLBENCH_PATH,
                                   {"--strategies", "thread_pool", "--modes", "warm", "--workers",
                                    "3", "--delay-ms", "300", "--rounds", "100", "--repetitions",
                                    "1", "--client-cpus", "1", "--server-cpus", "0", "--out", out},
                                   out_fd, &err_fd);
  std::string err;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  const pid_t server = testing::read_until_embedded_server(err_fd, err, 60s);
  std::map<std::string, std::string> client_threads;
  // Bounded: until poolbench runs its 3 workers (main thread + 3 at least),
  // or 60 s from the start.
  while (server > 0 && std::chrono::steady_clock::now() < deadline && client_threads.size() < 4) {
    client_threads = thread_cpus(pid);
    if (client_threads.size() < 4)
      std::this_thread::sleep_for(50ms);
  }
  const auto server_threads = server > 0 ? thread_cpus(server) : decltype(client_threads){};
  (void)testing::interrupt_and_reap(pid);
  close(out_fd);
  close(err_fd);
  std::remove(out.c_str());

  ASSERT_GT(server, 0) << err;
  ASSERT_GE(client_threads.size(), 4u) << err;
  ASSERT_FALSE(server_threads.empty());
  for (const auto& [tid, cpus] : client_threads)
    EXPECT_EQ(cpus, "1") << "poolbench thread " << tid;
  for (const auto& [tid, cpus] : server_threads)
    EXPECT_EQ(cpus, "0") << "server thread " << tid;
}

TEST(cpu_affinity, bad_cpu_flags_exit_2_with_one_line) {
  auto run = testing::run_program(POOLBENCH_PATH, {"--quick", "--client-cpus", "9999"}, 30s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("poolbench: CPU 9999 in '9999' does not exist"), std::string::npos)
      << run.err;
  run = testing::run_program(
      POOLBENCH_PATH, {"--url", "http://127.0.0.1:1/", "--server-cpus", "0", "--quick"}, 30s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("cannot pin --url's server"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace poolbench::runner
