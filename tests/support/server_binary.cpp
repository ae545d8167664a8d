#include "server_binary.hpp"

#include <cstdlib>

namespace poolbench::testing {

std::string server_binary(const char* built) {
  const char* chosen = std::getenv("POOLBENCH_TEST_SERVER");
  return chosen != nullptr && *chosen != '\0' ? chosen : built;
}

bool testing_io_uring_build() {
  const char* chosen = std::getenv("POOLBENCH_TEST_SERVER");
  return chosen != nullptr && *chosen != '\0';
}

}  // namespace poolbench::testing
