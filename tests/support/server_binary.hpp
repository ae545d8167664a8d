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

}  // namespace poolbench::testing
