#include <poolbench/stats/student_t.hpp>

#include <cmath>
#include <stdexcept>

namespace poolbench::stats {
namespace {

// The continued fraction of the incomplete beta function, by the modified
// Lentz method (Press et al., Numerical Recipes, 6.4 "betacf").
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, epsilon = 1e-15;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  d = 1 / (std::fabs(d) < tiny ? tiny : d);
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    d = 1 / (std::fabs(d) < tiny ? tiny : d);
    c = 1 + aa / c;
    c = std::fabs(c) < tiny ? tiny : c;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    d = 1 / (std::fabs(d) < tiny ? tiny : d);
    c = 1 + aa / c;
    c = std::fabs(c) < tiny ? tiny : c;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < epsilon)
      break;
  }
  return h;
}

// I_x(a, b), the regularized incomplete beta function.
double incomplete_beta(double a, double b, double x) {
  if (x <= 0)
    return 0;
  if (x >= 1)
    return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  // The fraction converges fast on this side of the mean; use the symmetry
  // I_x(a, b) = 1 - I_(1-x)(b, a) on the other.
  if (x < (a + 1) / (a + b + 2))
    return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

void check_degrees(double degrees) {
  if (!(degrees > 0))
    throw std::invalid_argument("student t: degrees of freedom must be > 0");
}

}  // namespace

double student_t_cdf(double t, double degrees) {
  check_degrees(degrees);
  if (std::isnan(t))
    return NAN;
  // P(|T| > |t|) = I_(nu / (nu + t^2))(nu / 2, 1 / 2).
  const double tail = incomplete_beta(degrees / 2, 0.5, degrees / (degrees + t * t)) / 2;
  return t < 0 ? tail : 1 - tail;
}

double student_t_quantile(double p, double degrees) {
  check_degrees(degrees);
  if (!(p > 0 && p < 1))
    throw std::invalid_argument("student t: the probability must be in (0, 1)");
  if (p < 0.5)
    return -student_t_quantile(1 - p, degrees);
  // Bracket, then bisect to the last bit: the distribution function is
  // monotone, and a few hundred evaluations cost microseconds.
  double low = 0, high = 1;
  while (student_t_cdf(high, degrees) < p)
    high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-13 * high; ++i) {
    const double mid = (low + high) / 2;
    (student_t_cdf(mid, degrees) < p ? low : high) = mid;
  }
  return (low + high) / 2;
}

}  // namespace poolbench::stats
