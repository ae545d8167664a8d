#pragma once

#include <poolbench/report/input/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::report {

// A workload family: the cases one chart against workers can join into
// lines. Cases of one delay whose batch is fixed while the pool grows
// ("batch 100, delay 10 ms"), or, for the sweep, whose batch grows with the
// pool by one factor ("batch = 4 × workers, delay 10 ms"). Keep-alive and
// new-connection cases share a family (the charts draw them dashed apart),
// and so do the files given; a fixed-batch family holds the floors of its
// batch and delay.
struct workload_family {
  std::string title;                       // "batch 100, delay 10 ms"
  std::string slug;                        // "batch-100_delay_ms-10": for file names
  std::optional<double> batch_per_worker;  // set for a sweep family
  std::vector<std::size_t> rows;           // indices into the rows given, in their order
};

// The families of `rows` with cases at two or more pool sizes, by delay,
// then fixed batches before sweeps, each by batch. Rows without a numeric
// `batch` and `delay_ms` parameter belong to none.
[[nodiscard]] std::vector<workload_family> workload_families(
    const std::vector<benchmark_result>& rows);

// The pool size of a case (its `workers` parameter), if it has one.
[[nodiscard]] std::optional<double> workers_of(const benchmark_result& r);

// The least a round can take with unlimited speed elsewhere: ceil(batch /
// workers) waves of `delay_ms` each, in seconds; none without a delay.
[[nodiscard]] std::optional<double> ideal_round_s(const benchmark_result& r);

// What charts call each row: its name, plus " (<file stem>)" when the same
// name comes from several files (as `show` tells them apart).
[[nodiscard]] std::vector<std::string> file_distinct_labels(
    const std::vector<benchmark_result>& rows);

}  // namespace poolbench::report
