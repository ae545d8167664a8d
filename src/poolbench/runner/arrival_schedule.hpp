#pragma once
// When each request of an open-loop run is meant to be sent, fixed before
// the run starts, so no answer (or lack of one) can move a later send:
// latency is measured from these intended times (coordinated omission
// corrected, as wrk2 and oha define it).

#include <poolbench/results/workload.hpp>

#include <cstdint>
#include <vector>

namespace poolbench::runner {

using results::arrivals;

// Offsets from the start of the run, in nanoseconds, ascending, all below
// `duration_s`: uniform spacing of 1/rate, or exponential gaps of mean
// 1/rate (a Poisson process) from a std::mt19937_64 seeded with `seed` (the
// gaps are computed from its raw output, so a seed gives the same schedule
// with every standard library).
[[nodiscard]] std::vector<std::int64_t> arrival_offsets_ns(double rate, double duration_s,
                                                           arrivals kind, std::uint64_t seed);

}  // namespace poolbench::runner
