#include <poolbench/runner/noise_monitor.hpp>

#include <exception>

namespace poolbench::runner {

noise_monitor::noise_monitor(noise_record start, std::chrono::milliseconds interval,
                             recheck_fn recheck)
    : start_(std::move(start)),
      interval_(interval),
      recheck_(std::move(recheck)),
      last_(std::chrono::steady_clock::now()) {}

noise_record noise_monitor::default_recheck(const std::string& when) {
  return recheck_noise(when);
}

void noise_monitor::between_cases(const std::string& next_case) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < interval_)
    return;
  try {
    rechecks_.push_back(recheck_("before " + next_case));
  } catch (const std::exception& ex) {
    failures_.push_back("before " + next_case + ": " + ex.what());
  }
  // From the end of the check: its own window is not run time.
  last_ = std::chrono::steady_clock::now();
}

bool noise_monitor::busy() const {
  if (start_.busy)
    return true;
  for (const auto& r : rechecks_) {
    if (r.busy)
      return true;
  }
  return false;
}

nlohmann::ordered_json noise_monitor::to_json() const {
  auto out = runner::to_json(start_);
  std::vector<std::string> reasons = start_.reasons;
  for (const auto& r : rechecks_) {
    for (const auto& why : r.reasons)
      reasons.push_back(r.when + ": " + why);
  }
  out["busy"] = busy();
  out["reasons"] = reasons;
  out["rechecks"] = nlohmann::ordered_json::array();
  for (const auto& r : rechecks_)
    out["rechecks"].push_back(runner::to_json(r));
  if (!failures_.empty())
    out["recheck_failures"] = failures_;
  return out;
}

std::string noise_monitor::summary_warning() const {
  if (!busy())
    return {};
  noise_record whole = start_;
  whole.when = "during this run";
  whole.busy = true;
  whole.reasons.clear();
  std::size_t busy_rechecks = 0;
  for (const auto& r : rechecks_)
    busy_rechecks += r.busy ? 1 : 0;
  if (start_.busy)
    whole.reasons.push_back("at the start: " + start_.reasons.front());
  if (busy_rechecks > 0)
    whole.reasons.push_back(std::to_string(busy_rechecks) + " of " +
                            std::to_string(rechecks_.size()) + " checks between cases");
  return busy_warning(whole);
}

}  // namespace poolbench::runner
