#pragma once
// The noise guard over a whole run: the start check (measure_noise), then a
// cheap re-check between cases, at most once per interval so a long run pays
// a few hundred milliseconds in all, not a window per repetition. The closed
// loop calls between_cases() before each repetition; the program stores
// to_json() as the context's "noise" and repeats summary_warning() at the end.

#include <poolbench/runner/noise_guard.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace poolbench::runner {

class noise_monitor {
 public:
  // How a re-check reads the machine; tests inject one.
  using recheck_fn = std::function<noise_record(const std::string& when)>;

  explicit noise_monitor(noise_record start,
                         std::chrono::milliseconds interval = std::chrono::seconds(30),
                         recheck_fn recheck = default_recheck);

  // Before the next repetition of `next_case`: re-checks when `interval` has
  // passed since the last check. Never throws (an unreadable /proc leaves
  // the run as it was and the record says so).
  void between_cases(const std::string& next_case);

  // Busy at the start or at any re-check.
  [[nodiscard]] bool busy() const;
  [[nodiscard]] const noise_record& start() const { return start_; }
  [[nodiscard]] const std::vector<noise_record>& rechecks() const { return rechecks_; }

  // The start record's fields (to_json(noise_record)) with "busy" and
  // "reasons" over the whole run (a re-check's reasons prefixed with its
  // "when"), and "rechecks": [each re-check's record].
  [[nodiscard]] nlohmann::ordered_json to_json() const;

  // busy_warning() of the run as a whole; "" when it stayed quiet.
  [[nodiscard]] std::string summary_warning() const;

  static noise_record default_recheck(const std::string& when);

 private:
  noise_record start_;
  std::vector<noise_record> rechecks_;
  std::vector<std::string> failures_;
  std::chrono::milliseconds interval_;
  recheck_fn recheck_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace poolbench::runner
