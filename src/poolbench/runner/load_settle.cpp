#include <poolbench/runner/load_settle.hpp>

#include <iomanip>
#include <sstream>

namespace poolbench::runner {

bool busy_only_by_load(const noise_record& record, const noise_thresholds& limits) {
  // The same decision without the load: if that is quiet, the load was the
  // only reason.
  return record.busy && !decide(record.when, record.readings, limits, /*use_load=*/false).busy;
}

noise_record settle_load(const settle_options& options, const measure_fn& measure,
                         const wait_fn& wait, std::ostream& log, std::chrono::seconds& waited) {
  waited = std::chrono::seconds(0);
  auto record = measure();
  while (busy_only_by_load(record) && waited + options.step <= options.limit) {
    std::ostringstream line;
    // About 90 columns: a line for a terminal.
    line << "poolbench: load " << std::fixed << std::setprecision(2) << record.readings.load_1m
         << " on " << record.readings.cpus << " CPUs, nothing else running: waiting "
         << options.step.count() << " s for it to settle (" << (options.limit - waited).count()
         << " s left)\n";
    log << line.str() << std::flush;
    wait(options.step);
    waited += options.step;
    record = measure();
  }
  return record;
}

}  // namespace poolbench::runner
