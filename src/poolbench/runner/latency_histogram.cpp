#include <poolbench/runner/latency_histogram.hpp>

#include <algorithm>
#include <cmath>

namespace poolbench::runner {

namespace bh = boost::histogram;

latency_histogram::latency_histogram()
    : histogram_(bh::make_histogram(axis_t(bins, lower_s, upper_s))) {}

void latency_histogram::add(double seconds) {
  histogram_(seconds);
  ++count_;
  max_ = std::max(max_, seconds);
}

double latency_histogram::percentile(double p) const {
  if (count_ == 0)
    return 0.0;
  if (p >= 1.0)
    return max_;
  // The smallest value with at least ceil(p * count) values at or below it.
  const auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (auto&& bin : bh::indexed(histogram_, bh::coverage::all)) {
    seen += static_cast<std::uint64_t>(*bin);
    if (seen < std::max<std::uint64_t>(rank, 1))
      continue;
    if (bin.index() < 0)
      return lower_s;  // underflow: below the range
    if (bin.index() >= static_cast<int>(bins))
      return max_;  // overflow: the only value known there is the max
    return std::min(std::sqrt(bin.bin().lower() * bin.bin().upper()), max_);
  }
  return max_;
}

std::vector<double> latency_histogram::quantized_values() const {
  std::vector<double> out;
  out.reserve(count_);
  for (auto&& bin : bh::indexed(histogram_, bh::coverage::all)) {
    const auto n = static_cast<std::uint64_t>(*bin);
    double v = max_;
    if (bin.index() < 0)
      v = 0.0;
    else if (bin.index() < static_cast<int>(bins))
      v = std::min(std::sqrt(bin.bin().lower() * bin.bin().upper()), max_);
    out.insert(out.end(), n, v);
  }
  if (!out.empty())
    out.back() = max_;
  return out;
}

nlohmann::ordered_json latency_histogram::to_json() const {
  nlohmann::ordered_json counts = nlohmann::ordered_json::array();
  for (auto&& bin : bh::indexed(histogram_)) {
    if (*bin > 0)
      counts.push_back({static_cast<std::uint64_t>(bin.index()), static_cast<std::uint64_t>(*bin)});
  }
  const auto& axis = histogram_.axis();
  return {{"axis", "log"},
          {"lower_s", lower_s},
          {"upper_s", upper_s},
          {"bins", bins},
          {"underflow", static_cast<std::uint64_t>(histogram_.at(-1))},
          {"overflow", static_cast<std::uint64_t>(histogram_.at(axis.size()))},
          {"counts", counts}};
}

}  // namespace poolbench::runner
