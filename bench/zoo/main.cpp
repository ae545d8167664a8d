// poolbench-zoo: poolbench with the executor zoo registered beside the
// built-ins (src/poolbench/zoo: asio_thread_pool, std_async, tbb), the same
// way a user's program adds its own. See `poolbench-zoo --help`.

#include <poolbench/program/run_main.hpp>

int main(int argc, char** argv) {
  return poolbench::run_main(argc, argv);
}
