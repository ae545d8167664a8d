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

#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
