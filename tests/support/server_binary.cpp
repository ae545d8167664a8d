#include "server_binary.hpp"

#include <cstdlib>

namespace poolbench::testing {
namespace {

// POOLBENCH_TEST_SERVER when it is set and not empty, else nullptr.
const char* chosen_server() {
  const char* chosen = std::getenv("POOLBENCH_TEST_SERVER");
  return chosen != nullptr && *chosen != '\0' ? chosen : nullptr;
}

}  // namespace

std::string server_binary(const char* built) {
  const char* chosen = chosen_server();
  return chosen != nullptr ? chosen : built;
}

bool testing_io_uring_build() {
  return chosen_server() != nullptr;
}

}  // namespace poolbench::testing
