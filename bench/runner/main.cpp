// poolbench: the article's experiment in C++. Runs the serial, thread_pool,
// process_pool and async_pool strategies (and the floor) against a hello
// server; the program is src/poolbench/program (run_main), which a program
// with strategies of its own runs the same way. See `poolbench --help`.

#include <poolbench/program/run_main.hpp>

int main(int argc, char** argv) {
  return poolbench::run_main(argc, argv);
}
