#include <poolbench/delay/delay_stream.hpp>

namespace poolbench::delay {
namespace {

// splitmix64's increment and finaliser (Steele, Lea and Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014): a bijection on 64
// bits whose output bits each depend on every input bit.
constexpr std::uint64_t golden = 0x9e3779b97f4a7c15ULL;

constexpr std::uint64_t mix(std::uint64_t z) noexcept {
  z += golden;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

double uniform_at(std::uint64_t seed, std::uint64_t repetition, std::uint64_t round,
                  std::uint64_t position) noexcept {
  // Each key is mixed into the running state after a key-specific offset, so
  // (repetition, round) = (1, 2) and (2, 1) land far apart.
  std::uint64_t h = mix(seed);
  h = mix(h ^ mix(repetition + 0x243f6a8885a308d3ULL));
  h = mix(h ^ mix(round + 0x13198a2e03707344ULL));
  h = mix(h ^ mix(position + 0xa4093822299f31d0ULL));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

}  // namespace poolbench::delay
