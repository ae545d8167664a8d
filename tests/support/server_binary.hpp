#pragma once
// Test support: which poolbench-server program the integration tests spawn.
//
// The server is built twice where liburing is found: poolbench-server on
// Asio's epoll reactor and poolbench-server-uring on its io_uring backend
// (server/CMakeLists.txt). One test source checks both: CTest runs the
// server's integration tests a second time with POOLBENCH_TEST_SERVER naming
// the io_uring build (tests/server/CMakeLists.txt).

#include <string>

namespace poolbench::testing {

// POOLBENCH_TEST_SERVER if it is set and not empty, else `built`: the
// server the test target was built against (its POOLBENCH_SERVER_PATH).
[[nodiscard]] std::string server_binary(const char* built);

// True when the spawned server is the io_uring build (POOLBENCH_TEST_SERVER
// is set: the io_uring run is the only one that sets it).
[[nodiscard]] bool testing_io_uring_build();

// Why a test of several threads on one io_context does not run on the
// io_uring build: that build refuses the configuration (server/main.cpp).
inline constexpr const char* io_uring_refuses_shared_threads =
    "the io_uring build refuses several threads on one io_context (Asio 1.81's io_uring "
    "backend is not safe there); ServerLifecycle.IoUringBuildRefusesSeveralThreadsOnOneContext "
    "checks the refusal";

}  // namespace poolbench::testing
