#include <poolbench/runner/arrival_schedule.hpp>

#include <cmath>
#include <random>
#include <stdexcept>

namespace poolbench::runner {

std::vector<std::int64_t> arrival_offsets_ns(double rate, double duration_s, arrivals kind,
                                             std::uint64_t seed) {
  if (!(rate > 0) || !(duration_s > 0))
    throw std::invalid_argument("an open-loop run needs a positive rate and duration");
  std::vector<std::int64_t> out;
  out.reserve(static_cast<std::size_t>(rate * duration_s * 1.1) + 1);
  const double end_ns = duration_s * 1e9;
  const double mean_gap_ns = 1e9 / rate;
  if (kind == arrivals::uniform) {
    // k / rate, computed per k (no accumulated rounding): exactly
    // ceil(rate * duration) arrivals.
    for (std::size_t k = 0;; ++k) {
      const double t = static_cast<double>(k) * 1e9 / rate;
      if (t >= end_ns - 0.5)
        break;
      out.push_back(static_cast<std::int64_t>(std::llround(t)));
    }
    return out;
  }
  std::mt19937_64 random(seed);
  for (double t = 0; t < end_ns;) {
    out.push_back(static_cast<std::int64_t>(t));
    // Exponential gap by inversion, u in (0, 1] from the top 53 bits.
    const double u = (static_cast<double>(random() >> 11) + 1.0) * 0x1.0p-53;
    t += -std::log(u) * mean_gap_ns;
  }
  return out;
}

}  // namespace poolbench::runner
