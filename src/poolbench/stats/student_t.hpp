#pragma once

namespace poolbench::stats {

// Student's t distribution with `degrees` degrees of freedom (any real > 0,
// as Welch-Satterthwaite gives): its distribution function, through the
// regularized incomplete beta function (a continued fraction, accurate to
// about 1e-12), and its quantile, by bisection on that: the one t quantile
// of the report (intervals of the mean, the Welch ratio, drift).
// Both throw std::invalid_argument for degrees <= 0 or p outside (0, 1).
[[nodiscard]] double student_t_cdf(double t, double degrees);
[[nodiscard]] double student_t_quantile(double p, double degrees);

}  // namespace poolbench::stats
