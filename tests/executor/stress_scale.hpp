#pragma once
// POOLBENCH_STRESS_SCALE (a CMake cache variable, 1 by default) divides the
// stress tests' task counts, should a slow machine need it to keep the suite
// well under two minutes under TSan.

#include <cstddef>

#ifndef POOLBENCH_STRESS_SCALE
#define POOLBENCH_STRESS_SCALE 1
#endif

namespace poolbench::test {

constexpr std::size_t scaled(std::size_t n) {
  return n / POOLBENCH_STRESS_SCALE;
}

}  // namespace poolbench::test
