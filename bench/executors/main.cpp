// poolbench-executors: Google Benchmark micro-benchmarks of the executor
// library. Each executor's numbers sit next to a floor it cannot beat by
// much (see each *_benchmarks.cpp):
//   thread_pool_executor   vs boost::asio::thread_pool + std::promise
//   process_pool_executor  vs a raw pre-forked worker doing pipe ping-pong
//   async_pool_executor    vs co_spawn directly on the io_context
// Benchmarks are registered in that order; the process ones create their
// workers when no other thread exists (the pools' fork-safety rule), which
// holds because every benchmark joins its threads before returning.
//
//   poolbench-executors --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Its command line is Google Benchmark's own (--benchmark_*), plus --version
// and the exit codes under --help, as every poolbench program has.

#include <poolbench/cli/version.hpp>

#include <benchmark/benchmark.h>

#include <cstring>
#include <iostream>

namespace {

void print_help() {
  benchmark::PrintDefaultHelp();
  std::cout << "  --version\n"
               "\nExit codes: 0 ok; 2 an argument Google Benchmark does not know.\n";
}

}  // namespace

int main(int argc, char** argv) {
  for (int k = 1; k < argc; ++k) {
    if (std::strcmp(argv[k], "--version") == 0) {
      std::cout << poolbench::cli::version_line("poolbench-executors") << "\n";
      return 0;
    }
  }
  benchmark::Initialize(&argc, argv, print_help);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
