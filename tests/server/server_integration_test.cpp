// The real poolbench-server binary, started on 127.0.0.1 port 0 and driven
// with raw sockets, so every test sees exactly the bytes on the wire.

#include <raw_connection.hpp>
#include <server_binary.hpp>
#include <server_process.hpp>

#include <gtest/gtest.h>

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <thread>

namespace {

using namespace std::chrono_literals;
using poolbench::testing::fetch;
using poolbench::testing::raw_connection;
using poolbench::testing::run_program;
using poolbench::testing::server_process;

// poolbench-server, or the build POOLBENCH_TEST_SERVER names (server_binary.hpp).
const std::string server_binary = poolbench::testing::server_binary(POOLBENCH_SERVER_PATH);

std::string get(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers + "\r\n";
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server = std::make_unique<server_process>(server_binary); }
  static void TearDownTestSuite() { server.reset(); }
  static std::uint16_t port() { return server->port(); }
  static std::unique_ptr<server_process> server;
};
std::unique_ptr<server_process> ServerTest::server;

TEST_F(ServerTest, AnswersHello) {
  auto res = fetch(port(), get("/romeo"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "Hello, romeo");
  EXPECT_EQ(res->headers["content-type"], "text/plain; charset=utf-8");
  EXPECT_EQ(res->headers["x-content-type-options"], "nosniff");
}

TEST_F(ServerTest, DecodesPercentEncodedNames) {
  auto res = fetch(port(), get("/J%C3%BCrgen"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, Jürgen");
}

TEST_F(ServerTest, RootAnswersEmptyName) {
  auto res = fetch(port(), get("/"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, ");
}

TEST_F(ServerTest, EncodedCrLfNeverReachesAHeader) {
  auto res = fetch(port(), get("/x%0D%0AX-Injected:%201"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "Hello, x\r\nX-Injected: 1");
  EXPECT_EQ(res->headers.count("x-injected"), 0u);
}

TEST_F(ServerTest, HeadSendsHeadersOnlyAndKeepsTheConnectionUsable) {
  raw_connection conn(port());
  conn.send("HEAD /romeo HTTP/1.1\r\nHost: x\r\n\r\n");
  auto head = conn.read_response(/*head_request=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers["content-length"], "12");
  EXPECT_EQ(head->body, "");
  conn.send(get("/after"));  // a stray body would corrupt this response
  auto next = conn.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "Hello, after");
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  raw_connection conn(port());
  for (int i = 0; i < 20; ++i) {
    conn.send(get("/n" + std::to_string(i)));
    auto res = conn.read_response();
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->body, "Hello, n" + std::to_string(i));
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  raw_connection conn(port());
  // The first is delayed: answers must still come back in request order.
  conn.send(get("/one?delay_ms=50") + get("/two") + get("/three"));
  for (const char* name : {"one", "two", "three"}) {
    auto res = conn.read_response();
    ASSERT_TRUE(res) << name;
    EXPECT_EQ(res->body, std::string("Hello, ") + name);
  }
}

TEST_F(ServerTest, Http10ClosesAfterTheResponse) {
  raw_connection conn(port());
  conn.send("GET /old HTTP/1.0\r\n\r\n");
  auto res = conn.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, old");
  EXPECT_TRUE(conn.closed_by_peer());
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  raw_connection conn(port());
  conn.send(get("/bye", "Connection: close\r\n"));
  auto res = conn.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->headers["connection"], "close");
  EXPECT_TRUE(conn.closed_by_peer());
}

TEST_F(ServerTest, DelayedAnswerComesAfterTheDelay) {
  const auto start = std::chrono::steady_clock::now();
  auto res = fetch(port(), get("/slow?delay_ms=100"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, slow");
  // A lower bound only: the server may be late on a loaded machine, never early.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
}

TEST_F(ServerTest, ManyDelayedRequestsWaitConcurrently) {
  // 50 connections each waiting 200 ms on a one-thread server: they can only
  // all be answered because the waits are timers, not sleeping threads.
  std::vector<std::unique_ptr<raw_connection>> conns;
  for (int i = 0; i < 50; ++i) {
    conns.push_back(std::make_unique<raw_connection>(port()));
    conns.back()->send(get("/c" + std::to_string(i) + "?delay_ms=200"));
  }
  for (int i = 0; i < 50; ++i) {
    auto res = conns[static_cast<std::size_t>(i)]->read_response();
    ASSERT_TRUE(res) << i;
    EXPECT_EQ(res->body, "Hello, c" + std::to_string(i));
  }
}

TEST_F(ServerTest, ShortDelaysAreAnsweredWhileALongOneWaits) {
  // An order, not a clock: a slow request goes first, then quick ones, one
  // at a time. A server that waits by sleeping in its one thread cannot
  // answer any request it reads after the slow one before the slow one, so
  // the slow answer would already be waiting when a quick one arrives. The
  // 4 s delay only has to outlast three quick round trips.
  raw_connection slow(port(), 30s);
  slow.send(get("/slow?delay_ms=4000"));
  for (int i = 0; i < 3; ++i) {
    auto quick = fetch(port(), get("/quick" + std::to_string(i)));
    ASSERT_TRUE(quick) << i;
    EXPECT_EQ(quick->body, "Hello, quick" + std::to_string(i));
    EXPECT_FALSE(slow.has_unread_bytes()) << "the 4 s answer came before quick request " << i;
  }
  auto res = slow.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, slow");
}

TEST_F(ServerTest, OtherMethodsGet405WithAllow) {
  auto res = fetch(port(), "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->headers["allow"], "GET, HEAD");
}

TEST_F(ServerTest, MalformedRequestsGet400) {
  for (const std::string& request :
       {std::string("GARBAGE\r\n\r\n"), std::string("GET / HTTP/9.9\r\n\r\n"),
        std::string("GET /x HTTP/1.1\r\nBad Header\r\n\r\n"),
        std::string("GET /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n")}) {
    auto res = fetch(port(), request);
    ASSERT_TRUE(res) << request;
    EXPECT_EQ(res->status, 400) << request;
  }
}

TEST_F(ServerTest, BadTargetsGet400WithAReason) {
  for (const char* target : {"/a%zz", "/a?delay_ms=x", "/a?delay_ms=10001", "/a?delay_ms=-5"}) {
    auto res = fetch(port(), get(target));
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 400) << target;
    EXPECT_FALSE(res->body.empty());
  }
}

TEST_F(ServerTest, LongTargetsGet414) {
  for (std::size_t length : {9u * 1024u, 40u * 1024u}) {
    std::string target(length + 1, 'a');
    target[0] = '/';
    auto res = fetch(port(), get(target));
    ASSERT_TRUE(res) << length;
    EXPECT_EQ(res->status, 414) << length;
  }
}

TEST_F(ServerTest, LargeHeaderBlocksGet431) {
  for (std::size_t length : {17u * 1024u, 60u * 1024u}) {
    auto res = fetch(port(), get("/a", "X-Big: " + std::string(length, 'b') + "\r\n"));
    ASSERT_TRUE(res) << length;
    EXPECT_EQ(res->status, 431) << length;
  }
}

TEST_F(ServerTest, LargeBodiesGet413) {
  auto res = fetch(port(), "GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                               std::string(20000, 'x'));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

TEST(ServerTimeouts, IdleConnectionsAreClosed) {
  server_process server(server_binary, {"--idle-timeout", "1"});
  raw_connection conn(server.port(), 15s);
  conn.send(get("/a"));
  ASSERT_TRUE(conn.read_response());
  EXPECT_TRUE(conn.closed_by_peer());  // after ~1 s of idleness, bounded by 15 s
}

TEST(ServerTimeouts, SlowHeaderSendersAreCutOff) {
  server_process server(server_binary, {"--header-timeout", "1"});
  raw_connection conn(server.port(), 15s);
  conn.send("GET /a HTTP/1.1\r\nX-Slow: ");  // and never the end of the header
  EXPECT_TRUE(conn.closed_by_peer());
  // The server still serves others.
  auto res = fetch(server.port(), get("/ok"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, ok");
}

TEST(ServerLimits, ConnectionsBeyondTheCapGet503) {
  server_process server(server_binary, {"--max-connections", "2"});
  raw_connection a(server.port()), b(server.port());
  for (auto* conn : {&a, &b}) {  // make sure both are accepted and counted
    conn->send(get("/held"));
    ASSERT_TRUE(conn->read_response());
  }
  auto res = fetch(server.port(), get("/third"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
}

TEST(ServerLimits, ClientsAtExactlyTheCapWithoutKeepAliveAreNeverRefused) {
  // Two workers, each sending one request per connection ("Connection:
  // close") and connecting again as soon as it has its answer: never more
  // than two connections open. The server's end of an answered connection is
  // still closing (draining) when the worker's next connection arrives; it
  // must not count against the cap.
  server_process server(server_binary, {"--max-connections", "2"});
  constexpr int workers = 2, requests_each = 150;
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> clients;
  for (int w = 0; w < workers; ++w) {
    clients.emplace_back([&] {
      for (int i = 0; i < requests_each; ++i) {
        auto res = fetch(server.port(), get("/w", "Connection: close\r\n"));
        if (!res)
          ++other;
        else if (res->status == 503)
          ++refused;
        else if (res->status == 200)
          ++ok;
        else
          ++other;
      }
    });
  }
  for (auto& c : clients)
    c.join();
  EXPECT_EQ(refused.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ok.load(), workers * requests_each);
}

TEST(ServerLimits, ErrorConnectionsAreReleasedSoonEvenIfTheClientStaysSilent) {
  // After an error answer the server drains for at most a second, not the
  // 30 s idle timeout. With room for one connection, a silent client that got
  // a 400 must stop counting against the cap well within this 10 s bound.
  server_process server(server_binary, {"--max-connections", "1"});
  raw_connection silent(server.port());
  silent.send("GARBAGE\r\n\r\n");
  auto error = silent.read_response();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->status, 400);
  int status = 503;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (status == 503 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    auto res = fetch(server.port(), get("/next"));
    status = res ? res->status : 0;
  }
  EXPECT_EQ(status, 200);
}

TEST(ServerLifecycle, SigtermFinishesInFlightResponsesAndExitsZero) {
  server_process server(server_binary);
  raw_connection busy(server.port());
  busy.send(get("/late?delay_ms=300"));
  raw_connection idle(server.port());
  idle.send(get("/first"));
  ASSERT_TRUE(idle.read_response());
  // The server has read the delayed request (an event, not a guess at a
  // sleep): from here it is in flight, not an idle connection SIGTERM closes.
  ASSERT_TRUE(busy.wait_until_read_by_peer(20s));
  const pid_t pid = server.pid();
  kill(pid, SIGTERM);
  auto res = busy.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, late");
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_EQ(server.stop(0), 0);
  EXPECT_FALSE(poolbench::testing::process_exists(pid));
}

TEST(ServerLifecycle, PortInUseIsOneClearErrorAndExit2) {
  server_process first(server_binary);
  auto result = run_program(server_binary, {"--port", std::to_string(first.port())}, 20s);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.out, "");
}

TEST(ServerLifecycle, BadFlagsExit2AndHelpExits0) {
  auto bad = run_program(server_binary, {"--threads", "zero"}, 20s);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("poolbench-server:"), std::string::npos);
  auto unknown = run_program(server_binary, {"--no-such-flag"}, 20s);
  EXPECT_EQ(unknown.exit_code, 2);
  auto help = run_program(server_binary, {"--help"}, 20s);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--max-delay-ms"), std::string::npos);
}

TEST(ServerLifecycle, IoUringBuildRefusesSeveralThreadsOnOneContext) {
  if (!poolbench::testing::testing_io_uring_build())
    GTEST_SKIP() << "the epoll build serves several threads on one io_context";
  auto refused = run_program(server_binary, {"--threads", "2"}, 20s);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--io-model reuseport"), std::string::npos) << refused.err;
  // One thread per io_context is served.
  server_process server(server_binary, {"--threads", "2", "--io-model", "reuseport"});
  raw_connection conn(server.port());
  conn.send(get("/uring"));
  const auto res = conn.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "Hello, uring");
}

TEST(ServerLifecycle, IoUringBuildFallsBackToEpollWhereTheKernelRefusesIoUring) {
  if (!poolbench::testing::testing_io_uring_build())
    GTEST_SKIP() << "the epoll build does not use io_uring";
  // A seccomp filter fails io_uring_setup with ENOSYS, as a container's may.
  auto help = run_program(WITHOUT_IO_URING_PATH, {server_binary, "--help"}, 20s);
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.err.find("io_uring is not available here"), std::string::npos) << help.err;
  EXPECT_NE(help.err.find("falling back to"), std::string::npos) << help.err;
  EXPECT_NE(help.out.find("--max-delay-ms"), std::string::npos);
}

TEST(ServerLifecycle, SeveralThreadsServeCorrectly) {
  if (poolbench::testing::testing_io_uring_build())
    GTEST_SKIP() << poolbench::testing::io_uring_refuses_shared_threads;
  server_process server(server_binary, {"--threads", "4"});
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      raw_connection conn(server.port());
      for (int i = 0; i < 50; ++i) {
        // Built with += : GCC 12 at -O3 warns falsely (-Wrestrict, PR 105651)
        // on "literal" + std::string chains.
        std::string name = "t";
        name += std::to_string(t);
        name += '-';
        name += std::to_string(i);
        conn.send(get("/" + name));
        auto res = conn.read_response();
        if (res && res->body == "Hello, " + name)
          ++ok;
      }
    });
  }
  for (auto& c : clients)
    c.join();
  EXPECT_EQ(ok.load(), 200);
}

}  // namespace

namespace {

// Security posture: with no --address the server binds loopback only.
TEST(ServerSecurity, BindsLoopbackByDefault) {
  // --port 0 alone: whatever address it picks is printed on the ready line.
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl(server_binary.c_str(), server_binary.c_str(), "--port", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  pollfd p{out[0], POLLIN, 0};
  while (line.size() < 200 && poll(&p, 1, 20000) > 0 && read(out[0], &c, 1) == 1 && c != '\n') {
    line.push_back(c);
  }
  close(out[0]);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  EXPECT_EQ(line.rfind("listening on http://127.0.0.1:", 0), 0u) << line;
}

// Security posture: the server never touches the filesystem. After serving
// requests (including ones that look like paths), none of its descriptors is
// a file it opened: only sockets, pipes, epoll/event/timer descriptors, and
// what it inherited from this test.
TEST(ServerSecurity, OpensNoFiles) {
  server_process server(server_binary);
  for (const char* target :
       {"/etc/passwd", "/..%2F..%2Fetc%2Fpasswd", "/%2Fproc%2Fself%2Fenviron"}) {
    auto res = fetch(server.port(), get(target));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body.rfind("Hello, ", 0), 0u);
  }
  auto link_of = [](const std::string& path) {
    char buf[4096];
    const ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  };
  // What this test process has open (ctest's log, our stderr, ...) the
  // server inherited across fork+exec: only anything beyond that counts.
  std::set<std::string> inherited = {"/dev/null"};
  if (DIR* own = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(own)) {
      inherited.insert(link_of(std::string("/proc/self/fd/") + entry->d_name));
    }
    closedir(own);
  }
  const std::string dir = "/proc/" + std::to_string(server.pid()) + "/fd";
  DIR* fds = opendir(dir.c_str());
  ASSERT_NE(fds, nullptr);
  while (dirent* entry = readdir(fds)) {
    if (entry->d_name[0] == '.')
      continue;
    const auto target = link_of(dir + "/" + entry->d_name);
    if (target.empty() || target[0] != '/')
      continue;  // socket:[..], pipe:[..], anon_inode:..
    EXPECT_TRUE(inherited.count(target) == 1) << "fd " << entry->d_name << " -> " << target;
  }
  closedir(fds);
}

}  // namespace
