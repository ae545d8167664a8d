#include <poolbench/results/latency_histogram.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace poolbench::results {
namespace {

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

double number_field(const nlohmann::json& value, const char* what) {
  if (!value.is_number())
    throw std::invalid_argument(std::string("histogram: ") + what + " is not a number");
  return value.get<double>();
}

}  // namespace

latency_histogram::latency_histogram() : latency_histogram(bins, lower_s, upper_s) {}

latency_histogram::latency_histogram(unsigned n, double lower, double upper)
    : axis_(n, lower, upper), lower_(lower), upper_(upper), counts_(n, 0) {}

latency_histogram latency_histogram::from_json(const nlohmann::json& histogram, double max_s) {
  const auto& axis = field(histogram, "axis");
  if (!axis.is_string() || axis.get<std::string>() != "log")
    throw std::invalid_argument("histogram: axis " + axis.dump() + ", expected \"log\"");
  const double lower = number_field(field(histogram, "lower_s"), "lower_s");
  const double upper = number_field(field(histogram, "upper_s"), "upper_s");
  const auto n = count_field(field(histogram, "bins"), "bins");
  // Bounded: a file's bin count sizes a vector.
  if (!(lower > 0 && upper > lower && n > 0 && n <= 1'000'000))
    throw std::invalid_argument("histogram: bounds or bins out of range");
  latency_histogram out(static_cast<unsigned>(n), lower, upper);
  out.underflow_ = count_field(field(histogram, "underflow"), "underflow");
  out.overflow_ = count_field(field(histogram, "overflow"), "overflow");
  out.count_ = out.underflow_ + out.overflow_;
  const auto& counts = field(histogram, "counts");
  if (!counts.is_array())
    throw std::invalid_argument("histogram: counts is not an array");
  for (const auto& pair : counts) {
    if (!pair.is_array() || pair.size() != 2)
      throw std::invalid_argument("histogram: a count is not [bin, count]");
    const auto bin = count_field(pair[0], "a bin index");
    if (bin >= n)
      throw std::invalid_argument("histogram: bin " + std::to_string(bin) + " beyond " +
                                  std::to_string(n) + " bins");
    const auto c = count_field(pair[1], "a bin's count");
    out.counts_[bin] += c;
    out.count_ += c;
  }
  out.max_ = max_s;
  return out;
}

void latency_histogram::add(double seconds) {
  const int index = axis_.index(seconds);
  if (index < 0)
    ++underflow_;
  else if (index >= static_cast<int>(counts_.size()))
    ++overflow_;  // NaN too: the axis puts it past the end
  else
    ++counts_[static_cast<std::size_t>(index)];
  ++count_;
  max_ = std::max(max_, seconds);
}

bool latency_histogram::same_layout(const latency_histogram& other) const noexcept {
  return lower_ == other.lower_ && upper_ == other.upper_ && counts_.size() == other.counts_.size();
}

std::string latency_histogram::layout() const {
  std::ostringstream out;
  out << counts_.size() << " log bins over [" << lower_ << ", " << upper_ << ") s";
  return out.str();
}

void latency_histogram::merge(const latency_histogram& other) {
  if (!same_layout(other))
    throw std::invalid_argument("histograms of different layouts: " + layout() + " and " +
                                other.layout());
  for (std::size_t i = 0; i < counts_.size(); ++i)
    counts_[i] += other.counts_[i];
  underflow_ += other.underflow_;
  overflow_ += other.overflow_;
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

double latency_histogram::centre(unsigned bin) const {
  const auto edges = axis_.bin(static_cast<int>(bin));
  return std::min(std::sqrt(edges.lower() * edges.upper()), max_);
}

double latency_histogram::percentile(double p) const {
  if (count_ == 0)
    return 0.0;
  if (p >= 1.0)
    return max_;
  // The smallest value with at least ceil(p * count) values at or below it.
  const auto rank = std::max<std::uint64_t>(
      static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_))), 1);
  std::uint64_t seen = underflow_;
  if (seen >= rank)
    return lower_;  // underflow: below the range
  for (unsigned bin = 0; bin < counts_.size(); ++bin) {
    seen += counts_[bin];
    if (seen >= rank)
      return centre(bin);
  }
  return max_;  // overflow: the only value known there is the max
}

nlohmann::ordered_json latency_histogram::to_json() const {
  nlohmann::ordered_json counts = nlohmann::ordered_json::array();
  for (unsigned bin = 0; bin < counts_.size(); ++bin) {
    if (counts_[bin] > 0)
      counts.push_back({bin, counts_[bin]});
  }
  return {{"axis", "log"},          {"lower_s", lower_},       {"upper_s", upper_},
          {"bins", counts_.size()}, {"underflow", underflow_}, {"overflow", overflow_},
          {"counts", counts}};
}

}  // namespace poolbench::results
