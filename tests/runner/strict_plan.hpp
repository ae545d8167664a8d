#pragma once
// A run_plan for measure() tests against a local server: serial and
// thread_pool fetching one name at `delays`, 9 planned repetitions of one
// round, and a rule strict enough that no workload can be decided at its
// first look (alpha 1e-6: the smallest exact U p-value of 9 against 9 is
// 4e-5; margin 0: no interval fits within [1, 1]), so a `budget` above 0
// extends every workload whatever the timings.

#include <poolbench/runner/run_plan.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

namespace poolbench::testing {

inline runner::run_plan strict_plan(const std::vector<std::uint64_t>& delays, double budget) {
  runner::run_plan p;
  p.workload_given = true;
  p.names = {"a"};
  p.workers = {1};
  p.delays_ms = delays;
  p.strategies = {runner::strategy::serial, runner::strategy::thread_pool};
  p.modes = {runner::pool_mode::warm};
  p.rounds = 1;
  p.warmup_rounds = 0;
  p.repetitions = 9;
  p.read_timeout = std::chrono::milliseconds(10'000);
  p.extra_budget_s = budget;
  p.sequential.rule.alpha = 1e-6;
  p.sequential.rule.threshold = 0;
  return p;
}

}  // namespace poolbench::testing
