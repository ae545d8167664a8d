// The floor's two backends, epoll and io_uring, are one client: each checks
// every answer (a wrong one, a refusal and a truncated one fail the round),
// reuses a connection per lane with keep-alive and opens one per request
// without it, and opens a kept connection again when the server closed it.
// Which backend serves: the decision for each choice and what the probe
// found, and the probe's reading of the kernel's io_uring_disabled switch.

#include <poolbench/runner/floor_backend.hpp>
#include <poolbench/runner/round_delays.hpp>
#include <poolbench/runner/strategy_factory.hpp>

#include <poolbench/http/request_error.hpp>

#include "fake_server.hpp"
#include "server_process.hpp"
#include "unique_temp_path.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <string>

namespace poolbench::runner {
namespace {

using floor_factory = std::unique_ptr<client_strategy> (*)(const bench_case&, const http::url&,
                                                           const http::client_options&);

struct backend_case {
  const char* name;
  floor_factory make;
  bool needs_io_uring;
};

void PrintTo(const backend_case& b, std::ostream* os) {
  *os << b.name;
}

class floor_backends : public ::testing::TestWithParam<backend_case> {
 protected:
  void SetUp() override {
    if (GetParam().needs_io_uring) {
      if (const auto found = probe_io_uring(); !found.available)
        GTEST_SKIP() << found.why_not;
    }
  }

  // `rounds` rounds of a floor of `workers` lanes over `batch` names; each
  // round's answers verified. Returns the server's connection count.
  std::size_t run_rounds(testing::fake_server& server, std::size_t batch, std::size_t workers,
                         connection kind, int rounds) {
    const bench_case c{strategy::floor, pool_mode::warm, generated_names(batch), workers, 0, kind};
    const auto url = http::url::parse(server.url());
    auto floor = GetParam().make(c, url, {});
    for (int round = 0; round < rounds; ++round) {
      const auto result = floor->run_round(delays_of_round(c, {}));
      EXPECT_EQ(result.bodies.size(), batch);
      EXPECT_NO_THROW(verify_round(c, url, result)) << c.name() << " round " << round;
    }
    return server.connections();
  }

  // The kind of request_error the first round fails with, against `server`.
  static http::request_error::kind failure_of(floor_factory make, testing::fake_server& server,
                                              connection kind) {
    const bench_case c{strategy::floor, pool_mode::warm, generated_names(4), 2, 0, kind};
    auto floor = make(c, http::url::parse(server.url()), {});
    try {
      static_cast<void>(floor->run_round(delays_of_round(c, {})));
    } catch (const http::request_error& e) {
      return e.why();
    }
    ADD_FAILURE() << "the round did not fail";
    return http::request_error::kind::io;
  }
};

TEST_P(floor_backends, keep_alive_reuses_one_connection_per_lane_across_rounds) {
  testing::fake_server server(testing::hello_reply);
  EXPECT_EQ(run_rounds(server, 12, 3, connection::keep_alive, 3), 3u);
  EXPECT_EQ(server.requests(), 36u);
}

TEST_P(floor_backends, fresh_opens_a_connection_per_request) {
  testing::fake_server server(testing::hello_reply);
  EXPECT_EQ(run_rounds(server, 12, 3, connection::fresh, 3), 36u);
}

TEST_P(floor_backends, opens_a_kept_connection_again_when_the_server_closed_it) {
  // Each connection ends after two answers: every lane's third request
  // finds its kept connection closed and opens a new one, once.
  testing::fake_server server(testing::hello_reply, /*requests_per_connection=*/2);
  const auto connections = run_rounds(server, 6, 2, connection::keep_alive, 3);
  EXPECT_GT(connections, 2u);
  EXPECT_EQ(server.requests(), 18u);
}

TEST_P(floor_backends, a_wrong_answer_fails_the_round_as_one) {
  for (auto kind : {connection::fresh, connection::keep_alive}) {
    testing::fake_server server([](std::string_view target) {
      if (target.find("user-2") != std::string_view::npos)
        return testing::fake_reply{testing::fake_reply::action::answer,
                                   testing::raw_http_response(200, "Hello, somebody else")};
      return testing::hello_reply(target);
    });
    EXPECT_EQ(failure_of(GetParam().make, server, kind), http::request_error::kind::bad_response);
  }
}

TEST_P(floor_backends, a_refusal_fails_the_round_as_one) {
  testing::fake_server server([](std::string_view) { return testing::rejection_reply(503, 1); });
  EXPECT_EQ(failure_of(GetParam().make, server, connection::keep_alive),
            http::request_error::kind::rejected);
}

TEST_P(floor_backends, a_connection_closed_mid_answer_fails_the_round) {
  testing::fake_server server([](std::string_view) {
    // Promises 100 bytes, sends 5, closes.
    return testing::fake_reply{testing::fake_reply::action::answer,
                               "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nHello"};
  });
  EXPECT_EQ(failure_of(GetParam().make, server, connection::fresh), http::request_error::kind::io);
}

TEST_P(floor_backends, runs_again_after_a_failed_round) {
  // A failed round leaves nothing in flight: the next one, against a server
  // that answers, is whole.
  std::atomic<bool> wrong{true};  // read by the server's threads
  testing::fake_server server([&wrong](std::string_view target) {
    if (wrong)
      return testing::fake_reply{testing::fake_reply::action::answer,
                                 testing::raw_http_response(200, "nobody")};
    return testing::hello_reply(target);
  });
  const bench_case c{strategy::floor,       pool_mode::warm, generated_names(8), 4, 0,
                     connection::keep_alive};
  const auto url = http::url::parse(server.url());
  auto floor = GetParam().make(c, url, {});
  EXPECT_THROW(static_cast<void>(floor->run_round(delays_of_round(c, {}))), http::request_error);
  wrong = false;
  const auto result = floor->run_round(delays_of_round(c, {}));
  EXPECT_NO_THROW(verify_round(c, url, result));
}

TEST_P(floor_backends, a_first_wave_wider_than_a_submission_keeps_every_request_whole) {
  // 400 lanes of new connections: 1,200 linked operations, more than the
  // io_uring floor's submission queue holds, so the wave goes to the kernel
  // in parts, each request's connect, send and receive in the same part.
  testing::server_process server(POOLBENCH_SERVER_PATH);
  const bench_case c{strategy::floor,  pool_mode::warm, generated_names(400), 400, 0,
                     connection::fresh};
  const auto url = http::url::parse(server.url());
  auto floor = GetParam().make(c, url, {});
  for (int round = 0; round < 2; ++round) {
    const auto result = floor->run_round(delays_of_round(c, {}));
    EXPECT_NO_THROW(verify_round(c, url, result)) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(both, floor_backends,
                         ::testing::Values(backend_case{"epoll", make_floor_epoll_strategy, false},
                                           backend_case{"io_uring", make_floor_uring_strategy,
                                                        true}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(floor_backend, auto_takes_io_uring_when_it_is_there_and_epoll_with_a_reason_when_not) {
  const auto there = decide_floor_backend(floor_backend_choice::automatic, {true, {}});
  EXPECT_EQ(there.backend, floor_backend::io_uring);
  EXPECT_FALSE(there.fell_back);

  const auto missing =
      decide_floor_backend(floor_backend_choice::automatic, {false, "no ring for you"});
  EXPECT_EQ(missing.backend, floor_backend::epoll);
  EXPECT_TRUE(missing.fell_back);
  EXPECT_EQ(missing.why, "io_uring not available: no ring for you");
}

TEST(floor_backend, a_choice_is_taken_or_refused_in_one_line) {
  EXPECT_EQ(decide_floor_backend(floor_backend_choice::epoll, {true, {}}).backend,
            floor_backend::epoll);
  EXPECT_EQ(decide_floor_backend(floor_backend_choice::io_uring, {true, {}}).backend,
            floor_backend::io_uring);
  try {
    static_cast<void>(decide_floor_backend(floor_backend_choice::io_uring, {false, "gone"}));
    ADD_FAILURE() << "io_uring was chosen though not available";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "--floor-backend io_uring: gone");
  }
  EXPECT_EQ(parse_floor_backend_choice("auto"), floor_backend_choice::automatic);
  EXPECT_EQ(parse_floor_backend_choice("io_uring"), floor_backend_choice::io_uring);
  EXPECT_THROW(static_cast<void>(parse_floor_backend_choice("uring")), std::invalid_argument);
}

TEST(floor_backend, the_probe_reads_the_kernels_switch) {
  const auto path = testing::unique_temp_path("io_uring_disabled");
  std::ofstream(path) << "2\n";
  const auto off = probe_io_uring(path);
  EXPECT_FALSE(off.available);
  EXPECT_EQ(off.why_not, "io_uring is disabled (" + path + " is 2)");
  // 0 (or no such file, before Linux 6.6): the ring set-up decides.
  std::ofstream(path) << "0\n";
  EXPECT_EQ(probe_io_uring(path).available, probe_io_uring(path + ".absent").available);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace poolbench::runner
