#pragma once
// Memory shared with forked workers (MAP_SHARED survives fork), for
// counters and gates that tasks in other processes update.

#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace poolbench::test {

// A T value-initialised in anonymous shared memory; lives until exit.
template <class T>
T* map_shared() {
  void* p = ::mmap(nullptr, sizeof(T), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    std::abort();
  }
  return new (p) T{};
}

}  // namespace poolbench::test
