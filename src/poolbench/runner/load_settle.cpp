#include <poolbench/runner/load_settle.hpp>

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace poolbench::runner {

bool busy_only_by_load(const noise_record& record, const noise_thresholds& limits) {
  // The same decision without the load: if that is quiet, the load was the
  // only reason.
  return record.busy && !decide(record.when, record.readings, limits, /*use_load=*/false).busy;
}

bool run_queue_is_quiet(const run_queue_sample& sample, const noise_thresholds& limits) {
  return sample.samples > 0 && sample.others_mean <= limits.max_other_cpus;
}

noise_record with_stale_load(noise_record record, const run_queue_sample& sample) {
  record.busy = false;
  record.reasons.clear();
  record.stale_load = stale_load_reading{sample.others_mean, sample.window_s, sample.samples};
  return record;
}

noise_record settle_load(const settle_options& options, const measure_fn& measure,
                         const run_queue_fn& queue, const wait_fn& wait, std::ostream& log,
                         std::chrono::seconds& waited) {
  waited = std::chrono::seconds(0);
  std::chrono::seconds waited_on_others{0};
  auto record = measure();
  while (options.limit.count() > 0 && record.busy) {
    std::ostringstream line;
    // About 90-110 columns: a line for a terminal.
    line << std::fixed << std::setprecision(2);
    std::chrono::seconds left = options.limit - waited;
    const bool load_alone = busy_only_by_load(record);
    if (load_alone) {
      const auto sample = queue();
      line << "poolbench: load " << record.readings.load_1m << " on " << record.readings.cpus
           << " CPUs, " << sample.others_mean << " other tasks runnable now (mean over "
           << std::setprecision(1) << sample.window_s << " s): ";
      if (run_queue_is_quiet(sample)) {
        log << line.str() << "the load is left from earlier work; not waiting\n" << std::flush;
        return with_stale_load(std::move(record), sample);
      }
    } else {
      // The reason the load does not explain: the first that is not the load.
      const auto& reasons = record.reasons;
      const auto other = std::find_if(reasons.begin(), reasons.end(), [](const std::string& r) {
        return r.rfind("load average", 0) != 0;
      });
      line << "poolbench: busy now (" << (other == reasons.end() ? "?" : *other) << "): ";
      left = std::min(left, options.others_limit - waited_on_others);
    }
    if (options.step > left) {
      log << line.str() << "no time left to wait (--settle)\n" << std::flush;
      break;
    }
    line << "waiting " << options.step.count() << " s (" << left.count() << " s left)\n";
    log << line.str() << std::flush;
    if (!load_alone)
      waited_on_others += options.step;
    wait(options.step);
    waited += options.step;
    record = measure();
  }
  return record;
}

}  // namespace poolbench::runner
