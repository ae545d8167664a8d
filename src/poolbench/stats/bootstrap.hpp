#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace poolbench::stats {

// Percentile bootstrap intervals over independent units (repetition means),
// reproducible to the bit: a fixed seed per benchmark, std::mt19937_64 (whose
// output sequence the C++ standard specifies), and resampled indices drawn
// by rejection from its raw output (std::uniform_int_distribution is
// implementation-defined and would make the intervals differ between
// standard libraries).

struct interval {
  double low = 0;
  double high = 0;
};

struct bootstrap_options {
  std::size_t resamples = 2000;
  double confidence = 0.95;  // the percentile interval's coverage
  std::uint64_t seed = 0;
};

// The seed every comparison and page uses: ASCII "poolbenc" as a 64-bit
// number, mixed with the benchmark's name (FNV-1a) so that one benchmark's
// interval does not depend on which other benchmarks a file holds, or their
// order.
inline constexpr std::uint64_t default_bootstrap_seed = 0x706f6f6c62656e63;
[[nodiscard]] std::uint64_t bootstrap_seed_for(std::string_view name,
                                               std::uint64_t seed = default_bootstrap_seed);

// Interval of mean(candidate) / mean(base): each resample draws base.size()
// values from base and then candidate.size() values from candidate, with
// replacement, independently. Empty when a side has fewer than 2 values, or
// a resampled mean of base is not positive.
[[nodiscard]] std::optional<interval> bootstrap_ratio_of_means(std::span<const double> base,
                                                               std::span<const double> candidate,
                                                               const bootstrap_options& options);

// Interval of the mean of one sample (fewer than 2 values: empty).
[[nodiscard]] std::optional<interval> bootstrap_mean(std::span<const double> values,
                                                     const bootstrap_options& options);

// The mean of the values (NaN for none).
[[nodiscard]] double mean_of(std::span<const double> values);

}  // namespace poolbench::stats
