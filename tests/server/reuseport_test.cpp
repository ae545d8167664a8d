// poolbench-server --io-model reuseport: one io_context and acceptor per
// thread, all bound to one port with SO_REUSEPORT. The real binary on
// 127.0.0.1 port 0, driven with raw sockets, like server_integration_test.

#include <raw_connection.hpp>
#include <server_binary.hpp>
#include <server_process.hpp>

#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using poolbench::testing::fetch;
using poolbench::testing::raw_connection;
using poolbench::testing::run_program;
using poolbench::testing::server_process;

// poolbench-server, or the build POOLBENCH_TEST_SERVER names (server_binary.hpp).
const std::string server_binary = poolbench::testing::server_binary(POOLBENCH_SERVER_PATH);

std::string get(const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

// Listening TCP sockets on 127.0.0.1:`port`, from /proc/net/tcp (local
// address 0100007F:PORT in hex, state 0A = LISTEN).
int listeners_on(std::uint16_t port) {
  char local[32];
  std::snprintf(local, sizeof local, "0100007F:%04X", static_cast<unsigned>(port));
  std::ifstream table("/proc/net/tcp");
  std::string line;
  int count = 0;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local_address, remote_address, state;
    fields >> slot >> local_address >> remote_address >> state;
    if (local_address == local && state == "0A")
      ++count;
  }
  return count;
}

TEST(ReuseportServer, EveryThreadListensOnThePrintedPort) {
  // Port 0: the first acceptor's bind picks the port, the others must bind
  // that one too (not a port of their own, which no client would know).
  server_process server(server_binary, {"--threads", "3", "--io-model", "reuseport"});
  EXPECT_EQ(listeners_on(server.port()), 3);
  if (poolbench::testing::testing_io_uring_build())
    return;  // no shared model to compare with (io_uring_refuses_shared_threads)
  server_process shared(server_binary, {"--threads", "3"});
  EXPECT_EQ(listeners_on(shared.port()), 1);
}

TEST(ReuseportServer, ManyConnectionsAreServedCorrectly) {
  server_process server(server_binary, {"--threads", "4", "--io-model", "reuseport"});
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      // Several connections per client thread, so the kernel's spreading
      // puts some on every acceptor.
      std::vector<std::unique_ptr<raw_connection>> conns;
      for (int c = 0; c < 4; ++c)
        conns.push_back(std::make_unique<raw_connection>(server.port()));
      for (int i = 0; i < 25; ++i) {
        for (std::size_t c = 0; c < conns.size(); ++c) {
          std::string name = "t";
          name += std::to_string(t);
          name += '-';
          name += std::to_string(c);
          name += '-';
          name += std::to_string(i);
          conns[c]->send(get("/" + name));
          auto res = conns[c]->read_response();
          if (res && res->body == "Hello, " + name)
            ++ok;
        }
      }
    });
  }
  for (auto& c : clients)
    c.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST(ReuseportServer, APortInUseIsStillOneClearErrorAndExit2) {
  // SO_REUSEPORT would let a second server of the same user share the port
  // silently; it must fail as a port in use does.
  server_process first(server_binary, {"--threads", "2", "--io-model", "reuseport"});
  const auto port = std::to_string(first.port());
  for (const char* model : {"reuseport", "shared"}) {
    auto result = run_program(server_binary, {"--port", port, "--io-model", model}, 20s);
    EXPECT_EQ(result.exit_code, 2) << model;
    EXPECT_NE(result.err.find("cannot listen on 127.0.0.1:" + port), std::string::npos)
        << result.err;
    EXPECT_EQ(result.out, "");
  }
  auto res = fetch(first.port(), get("/still"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, still");
}

TEST(ReuseportServer, SigtermFinishesInFlightResponsesOnEveryThreadAndExitsZero) {
  server_process server(server_binary, {"--threads", "2", "--io-model", "reuseport"});
  // Several delayed requests, so that (with the kernel's spreading) both
  // threads hold one in flight when SIGTERM comes.
  std::vector<std::unique_ptr<raw_connection>> busy;
  for (int i = 0; i < 6; ++i) {
    busy.push_back(std::make_unique<raw_connection>(server.port()));
    busy.back()->send(get("/late" + std::to_string(i) + "?delay_ms=300"));
  }
  raw_connection idle(server.port());
  idle.send(get("/first"));
  ASSERT_TRUE(idle.read_response());
  for (auto& conn : busy)
    ASSERT_TRUE(conn->wait_until_read_by_peer(20s));
  const pid_t pid = server.pid();
  kill(pid, SIGTERM);
  for (std::size_t i = 0; i < busy.size(); ++i) {
    auto res = busy[i]->read_response();
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->body, "Hello, late" + std::to_string(i));
  }
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_EQ(server.stop(0), 0);
  EXPECT_FALSE(poolbench::testing::process_exists(pid));
}

TEST(ReuseportServer, TheConnectionCapCountsEveryThread) {
  server_process server(server_binary,
                        {"--threads", "2", "--io-model", "reuseport", "--max-connections", "2"});
  raw_connection a(server.port()), b(server.port());
  for (auto* conn : {&a, &b}) {
    conn->send(get("/held"));
    ASSERT_TRUE(conn->read_response());
  }
  auto res = fetch(server.port(), get("/third"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
}

}  // namespace
