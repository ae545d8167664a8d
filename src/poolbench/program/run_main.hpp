#pragma once
// poolbench's whole command line in a program of one's own: register your
// strategies (blocking_executor.hpp, awaitable_executor.hpp,
// strategy_registry.hpp), then hand main's arguments over.
//
//   int main(int argc, char** argv) {
//     poolbench::register_blocking_executor("my_pool", make_my_pool);
//     return poolbench::run_main(argc, argv);
//   }
//
// `my-program --strategies my_pool,thread_pool --quick --out run.json` then
// runs as poolbench does: the embedded server, the rounds, the cost
// counters, the JSON and the claims; `poolbench-report show run.json` reads
// it. Exit codes as poolbench's: 0 ok, 1 a case failed, 2 bad usage.

namespace poolbench {
namespace detail {
// `installed_server`: the poolbench-server to start when none is next to
// the program (nullptr: none).
[[nodiscard]] int run_main(int argc, char** argv, const char* installed_server);
}  // namespace detail

// Runs poolbench on argv and returns its exit code. The embedded server is
// the poolbench-server next to the program, else the one installed with the
// poolbench this program was built against (find_package(poolbench)
// defines POOLBENCH_INSTALLED_SERVER for its users).
[[nodiscard]] inline int run_main(int argc, char** argv) {
#ifdef POOLBENCH_INSTALLED_SERVER
  return detail::run_main(argc, argv, POOLBENCH_INSTALLED_SERVER);
#else
  return detail::run_main(argc, argv, nullptr);
#endif
}

}  // namespace poolbench
