#pragma once
// A request delay as a distribution, written as a short spec string:
//   "5ms" | "250us" | "0.5s"                 a constant
//   "uniform:1ms..9ms"                        uniform between the bounds (inclusive)
//   "exp:5ms"                                 exponential with that mean
//   "lognormal:median=5ms,p99=100ms"          lognormal through those two quantiles
//   "1ms:95,100ms:5"                          a weighted list (weights normalised)
// Units: us, ms, s; decimals allowed (0.5ms). Every duration is at most 3600s.
//
// A delay is drawn as at(u) for a uniform u in [0,1): the inverse CDF, so the
// same u gives the same delay on every machine, and a larger u never gives a
// shorter delay (common random numbers stay correlated across specs too).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace poolbench::delay {

class delay_distribution {
 public:
  // Throws std::invalid_argument with a one-line reason naming the spec.
  [[nodiscard]] static delay_distribution parse(std::string_view spec);

  // The delay at u in [0,1), rounded to the nearest microsecond. u outside
  // [0,1) is clamped into it. A tail draw beyond 24 h is clamped to 24 h
  // (reachable only by lognormal or exp specs with hour-long parameters).
  [[nodiscard]] std::chrono::microseconds at(double u) const;
  // True when every u gives the same delay.
  [[nodiscard]] bool is_constant() const noexcept;
  // The spec as given, without surrounding whitespace.
  [[nodiscard]] const std::string& spec() const noexcept { return spec_; }

 private:
  enum class kind { constant, uniform, exponential, lognormal, weighted };
  struct weighted_entry {
    double delay_us;
    double cumulative;  // normalised: the last entry's is 1
  };

  delay_distribution() = default;

  std::string spec_;
  kind kind_ = kind::constant;
  // constant: a = the delay; uniform: [a, b]; exponential: a = mean;
  // lognormal: a = median, b = sigma of the underlying normal.
  double a_ = 0;
  double b_ = 0;
  std::vector<weighted_entry> entries_;  // weighted: ascending by delay
};

}  // namespace poolbench::delay
