#include <poolbench/report/tables/noise_line.hpp>

#include <gtest/gtest.h>

namespace poolbench::report {
namespace {

// A file whose context's noise is `noise` as the loader reads it: JSON text
// parsed to its value, anything else kept as a string.
result_file with_noise(const std::string& path, const std::string& noise) {
  result_file f;
  f.path = path;
  f.format = source_format::poolbench;
  if (noise.empty())
    return f;
  auto value = nlohmann::ordered_json::parse(noise, nullptr, /*allow_exceptions=*/false);
  f.context.emplace_back("noise", value.is_discarded() ? nlohmann::ordered_json(noise) : value);
  return f;
}

TEST(noise_line, quiet_or_unrecorded_files_give_no_line) {
  EXPECT_EQ(busy_machine_line({with_noise("a.json", R"({"busy": false, "reasons": []})"),
                               with_noise("old.json", "")}),
            "");
}

TEST(noise_line, names_each_busy_file_with_its_reasons) {
  const auto line = busy_machine_line(
      {with_noise(
           "latest.json",
           R"({"busy": true, "reasons": ["load average 3.80 on 2 CPUs", "CPU steal 4.0%"]})"),
       with_noise("quiet.json", R"({"busy": false, "reasons": []})"),
       with_noise("open-loop.json", "not json")});
  EXPECT_EQ(line,
            "Measured on a busy machine: latest.json (load average 3.80 on 2 CPUs; CPU steal "
            "4.0%); open-loop.json (its noise record is unreadable). Its numbers may be noise "
            "(docs/noise.md).");
}

TEST(noise_line, a_quiet_file_gives_its_load_and_readings) {
  const auto quiet = R"({"load_1m": 0.77, "cpus": 2, "other_cpus": 0.0, "cpu_pressure": 0.0,
      "calibration_cv": 0.0036, "busy": false, "reasons": [], "rechecks": [{}, {}, {}]})";
  EXPECT_EQ(quiet_machine_line({with_noise("latest.json", quiet), with_noise("old.json", "")}),
            "Measured on a quiet machine: latest.json at load 0.77 on 2 CPUs (other processes "
            "0.00 CPUs, CPU pressure 0.0%, calibration CV 0.4%; 3 of 3 re-checks between cases "
            "quiet).");
}

TEST(noise_line, a_stale_load_is_named_and_busy_files_are_left_to_the_busy_line) {
  const auto stale = R"({"load_1m": 14.6, "cpus": 2, "other_cpus": 0.01, "cpu_pressure": null,
      "busy": false, "reasons": [],
      "stale_load": {"run_queue": 0.02, "window_s": 3.0, "samples": 151}})";
  const auto busy = R"({"load_1m": 3.8, "cpus": 2, "other_cpus": 1.9, "busy": true,
      "reasons": ["load average 3.80 on 2 CPUs"]})";
  EXPECT_EQ(quiet_machine_line({with_noise("open-loop.json", stale), with_noise("b.json", busy),
                                with_noise("c.json", "not json")}),
            "Measured on a quiet machine: open-loop.json at load 14.60 on 2 CPUs, left from "
            "earlier work (0.02 other tasks runnable over 3.0 s) (other processes 0.01 CPUs).");
  EXPECT_EQ(quiet_machine_line({with_noise("x.json", R"({"busy": false, "reasons": []})")}), "");
}

}  // namespace
}  // namespace poolbench::report
