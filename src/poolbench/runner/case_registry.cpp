#include <poolbench/runner/case_registry.hpp>

#include <benchmark/benchmark.h>

namespace poolbench::runner {

void register_case(const std::string& name, std::function<void(benchmark::State&)> body,
                   std::size_t iterations, std::size_t repetitions) {
  benchmark::RegisterBenchmark(name.c_str(), std::move(body))
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond)
      ->Iterations(static_cast<benchmark::IterationCount>(iterations))
      ->Repetitions(static_cast<int>(repetitions));
}

}  // namespace poolbench::runner
