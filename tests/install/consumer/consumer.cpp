// Uses the installed thread pool the way the README shows, from a project
// that knows poolbench only through find_package.
#include <poolbench/executor/thread_pool_executor.hpp>

#include <iostream>
#include <string>
#include <vector>

std::string greet(std::string name) {
  return "Hello, " + name;
}

int main() {
  // The deliberate warning (-Wunused-variable): it must stay a warning here.
  int unused_on_purpose = 0;

  poolbench::thread_pool_executor pool(2);
  const std::vector<std::string> names{"romeo", "julliet"};
  for (auto& f : pool.map(greet, names)) {
    std::cout << f.get() << '\n';
  }
}
