#include <poolbench/report/noise_line.hpp>

#include <gtest/gtest.h>

namespace poolbench::report {
namespace {

result_file with_noise(const std::string& path, const std::string& noise) {
  result_file f;
  f.path = path;
  f.format = source_format::poolbench;
  if (!noise.empty())
    f.context.emplace_back("noise", noise);
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

}  // namespace
}  // namespace poolbench::report
