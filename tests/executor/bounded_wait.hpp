#pragma once
// The bound on every future the executor tests wait for: a broken pool fails
// the test long before ctest's timeout, it never hangs it.

#include <chrono>
#include <future>

namespace poolbench::test {

inline constexpr std::chrono::seconds bounded{60};

template <class T>
bool ready_within(std::future<T>& f) {
  return f.wait_for(bounded) == std::future_status::ready;
}

}  // namespace poolbench::test
