#include <poolbench/report/latency_counts.hpp>

#include <boost/histogram/axis/regular.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace poolbench::report {
namespace {

// The runner's axis type, so that bin edges come out bit for bit the same.
using axis_t = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;

const nlohmann::json& field(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key))
    throw std::invalid_argument(std::string("histogram: no \"") + key + "\"");
  return j.at(key);
}

std::uint64_t count_field(const nlohmann::json& value, const std::string& what) {
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0))
    throw std::invalid_argument("histogram: " + what + " is not a count");
  return value.get<std::uint64_t>();
}

}  // namespace

latency_counts latency_counts::from_json(const nlohmann::json& histogram, double max_s) {
  latency_counts out;
  out.axis_ = field(histogram, "axis").get<std::string>();
  if (out.axis_ != "log")
    throw std::invalid_argument("histogram: axis \"" + out.axis_ + "\", expected \"log\"");
  out.lower_s_ = field(histogram, "lower_s").get<double>();
  out.upper_s_ = field(histogram, "upper_s").get<double>();
  out.bins_ = field(histogram, "bins").get<unsigned>();
  if (!(out.lower_s_ > 0 && out.upper_s_ > out.lower_s_ && out.bins_ > 0))
    throw std::invalid_argument("histogram: bounds or bins out of range");
  out.underflow_ = count_field(field(histogram, "underflow"), "underflow");
  out.overflow_ = count_field(field(histogram, "overflow"), "overflow");
  for (const auto& pair : field(histogram, "counts")) {
    if (!pair.is_array() || pair.size() != 2)
      throw std::invalid_argument("histogram: a count is not [bin, count]");
    const auto bin = count_field(pair[0], "a bin index");
    if (bin >= out.bins_)
      throw std::invalid_argument("histogram: bin " + std::to_string(bin) + " beyond " +
                                  std::to_string(out.bins_) + " bins");
    if (const auto n = count_field(pair[1], "a bin's count"); n > 0)
      out.counts_[static_cast<unsigned>(bin)] += n;
  }
  out.max_s_ = max_s;
  return out;
}

bool latency_counts::same_layout(const latency_counts& other) const noexcept {
  return axis_ == other.axis_ && lower_s_ == other.lower_s_ && upper_s_ == other.upper_s_ &&
         bins_ == other.bins_;
}

std::string latency_counts::layout() const {
  std::ostringstream out;
  out << bins_ << " " << axis_ << " bins over [" << lower_s_ << ", " << upper_s_ << ") s";
  return out.str();
}

void latency_counts::add(const latency_counts& other) {
  if (!same_layout(other))
    throw std::invalid_argument("histograms of different layouts: " + layout() + " and " +
                                other.layout());
  underflow_ += other.underflow_;
  overflow_ += other.overflow_;
  for (const auto& [bin, n] : other.counts_)
    counts_[bin] += n;
  max_s_ = std::max(max_s_, other.max_s_);
}

std::uint64_t latency_counts::count() const noexcept {
  std::uint64_t total = underflow_ + overflow_;
  for (const auto& [bin, n] : counts_)
    total += n;
  return total;
}

double latency_counts::percentile(double p) const {
  const std::uint64_t total = count();
  if (total == 0)
    return 0.0;
  if (p >= 1.0)
    return max_s_;
  const auto rank = std::max<std::uint64_t>(
      static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(total))), 1);
  std::uint64_t seen = underflow_;
  if (seen >= rank)
    return lower_s_;  // below the range
  const axis_t axis(bins_, lower_s_, upper_s_);
  for (const auto& [bin, n] : counts_) {
    seen += n;
    if (seen >= rank) {
      const auto edges = axis.bin(static_cast<int>(bin));
      return std::min(std::sqrt(edges.lower() * edges.upper()), max_s_);
    }
  }
  return max_s_;  // overflow: the only value known there is the max
}

nlohmann::ordered_json latency_counts::to_json() const {
  nlohmann::ordered_json counts = nlohmann::ordered_json::array();
  for (const auto& [bin, n] : counts_)
    counts.push_back({bin, n});
  return {{"axis", axis_},   {"lower_s", lower_s_},     {"upper_s", upper_s_},
          {"bins", bins_},   {"underflow", underflow_}, {"overflow", overflow_},
          {"counts", counts}};
}

}  // namespace poolbench::report
