#pragma once
// Sanitizer builds define POOLBENCH_STRESS_SCALE (see CMakeLists.txt): the
// stress tests divide their task counts by it so the whole suite stays well
// under two minutes under TSan on two cores.

#include <cstddef>

#ifndef POOLBENCH_STRESS_SCALE
#define POOLBENCH_STRESS_SCALE 1
#endif

namespace poolbench::test {

constexpr std::size_t scaled(std::size_t n) {
  return n / POOLBENCH_STRESS_SCALE;
}

}  // namespace poolbench::test
