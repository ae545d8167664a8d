#pragma once
// Common random numbers for request delays: a stateless, counter-based uniform
// stream. The runner asks for the number of (seed, repetition, round,
// position), so every strategy of a run meets the same delays whatever order
// it sends them in, and a rerun with the same seed meets them again.

#include <cstdint>

namespace poolbench::delay {

// A uniform number in [0,1) with 53 random bits, from splitmix64-style mixing
// of the four keys (each mixed in with its own constant, so swapping two keys
// changes the number). Pure integer arithmetic: the same keys give the same
// number on every machine and compiler.
[[nodiscard]] double uniform_at(std::uint64_t seed, std::uint64_t repetition, std::uint64_t round,
                                std::uint64_t position) noexcept;

}  // namespace poolbench::delay
