#pragma once
// Tasks per timed batch in every executor micro-benchmark, so that the
// thread, process and async figures are per the same batch.

#include <cstddef>

namespace poolbench::executor_bench {

inline constexpr std::size_t batch = 1000;

}  // namespace poolbench::executor_bench
