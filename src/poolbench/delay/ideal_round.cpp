#include <poolbench/delay/ideal_round.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <stdexcept>
#include <vector>

namespace poolbench::delay {

double ideal_round_seconds(std::span<const double> delays_s, std::size_t workers) {
  if (workers == 0) {
    throw std::invalid_argument("ideal round: 0 workers");
  }
  // The time each busy worker frees, earliest on top; an idle worker frees at 0.
  std::priority_queue<double, std::vector<double>, std::greater<>> frees_at;
  double makespan = 0;
  for (const double d : delays_s) {
    if (!std::isfinite(d) || d < 0) {
      throw std::invalid_argument("ideal round: a delay is negative or not finite");
    }
    double start = 0;
    if (frees_at.size() == workers) {
      start = frees_at.top();
      frees_at.pop();
    }
    frees_at.push(start + d);
    makespan = std::max(makespan, start + d);
  }
  return makespan;
}

}  // namespace poolbench::delay
