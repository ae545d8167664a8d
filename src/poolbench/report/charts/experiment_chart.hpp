#pragma once

#include <poolbench/report/claims/experiment.hpp>

#include <optional>
#include <string>
#include <vector>

namespace poolbench::report {

// What an experiment chart draws against workers.
enum class experiment_metric {
  round_time,          // mean round time (log scale when it spans more than 10x)
  rejected_per_round,  // rejected attempts per round (linear, from 0)
};

// `metric` against pool size (log axis at the sizes measured), one line per
// strategy in its colour; a case without a pool size (unbounded) is a
// dashed reference line across, named at its right end, since it has no
// pool size to stand at. Time charts also draw each size's ideal round.
// "" when no strategy has two points.
[[nodiscard]] std::string experiment_chart(const std::vector<experiment_row>& rows,
                                           const std::string& title, experiment_metric metric);

}  // namespace poolbench::report
