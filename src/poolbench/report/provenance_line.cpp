#include <poolbench/report/provenance_line.hpp>

#include <sstream>

namespace poolbench::report {

std::string provenance_line(const result_file& file, std::size_t width) {
  const auto value = [&](const char* key) { return file.context_value(key); };
  std::ostringstream line;
  const char* separator = " ";
  const auto part = [&]() -> std::ostream& {
    line << separator;
    separator = "; ";
    return line;
  };
  line << file.path << ":";
  if (const auto revision = value("git_revision"); !revision.empty()) {
    part() << "rev " << revision;
    if (value("git_dirty") == "true")
      line << " (with local changes)";
  }
  if (const auto build = value("build_type"); !build.empty())
    part() << build << (value("compiler").empty() ? "" : " ") << value("compiler");
  if (const auto cpu = value("cpu_model"); !cpu.empty())
    part() << cpu << (value("cpu_count").empty() ? "" : " x") << value("cpu_count");
  if (const auto kernel = value("kernel"); !kernel.empty())
    part() << kernel;
  if (const auto start = value("load_average_start"); !start.empty())
    part() << "load " << start << " -> " << value("load_average_end");
  if (const auto reps = value("repetitions"); !reps.empty()) {
    part() << reps << " repetitions, " << value("warmup_rounds") << " warm-up round(s)";
    if (value("interleaved") == "true")
      line << ", interleaved";
  }
  if (const auto kind = value("server_kind"); !kind.empty()) {
    part() << kind << " server";
    if (const auto cpus = value("server_cpus"); !cpus.empty() && cpus != "not pinned")
      line << " on CPUs " << cpus;
  }
  if (const auto date = value("date"); !date.empty())
    part() << date;
  if (std::string(separator) == " ")
    line << " no provenance recorded";
  std::string text = line.str();
  if (width > 3 && text.size() > width) {
    text.resize(width - 3);
    text.append("...");
  }
  return text;
}

}  // namespace poolbench::report
