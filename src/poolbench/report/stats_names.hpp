#pragma once
// The statistics the report speaks of (poolbench::stats, shared with the
// runner), named in the report's namespace so that its code reads
// `verdict`, `interval` or `compute_statistics` as it did when they lived
// here. Names only: every definition is in src/poolbench/stats.

#include <poolbench/stats/bootstrap.hpp>
#include <poolbench/stats/holm.hpp>
#include <poolbench/stats/mann_whitney.hpp>
#include <poolbench/stats/sequential_rule.hpp>
#include <poolbench/stats/statistics.hpp>
#include <poolbench/stats/student_t.hpp>
#include <poolbench/stats/verdict.hpp>
#include <poolbench/stats/welch_ratio.hpp>

namespace poolbench::report {

using stats::bootstrap_mean;
using stats::bootstrap_options;
using stats::bootstrap_ratio_of_means;
using stats::bootstrap_seed_for;
using stats::cap_of;
using stats::compute_statistics;
using stats::correct_and_decide;
using stats::decide;
using stats::decide_look;
using stats::decision_rule;
using stats::default_bootstrap_seed;
using stats::estimate_look;
using stats::holm_adjust;
using stats::holm_adjust_present;
using stats::interval;
using stats::look_alpha;
using stats::look_confidence;
using stats::look_count;
using stats::look_estimate;
using stats::mann_whitney_result;
using stats::mann_whitney_u;
using stats::mean_of;
using stats::planned_total;
using stats::projected_repetitions;
using stats::reachable_look;
using stats::run_sequential;
using stats::sequential_outcome;
using stats::sequential_settings;
using stats::statistics;
using stats::student_t_cdf;
using stats::student_t_quantile;
using stats::u_test_method;
using stats::unknown_statistics;
using stats::validate;
using stats::verdict;
using stats::welch_difference_interval;
using stats::welch_ratio_interval;

}  // namespace poolbench::report
