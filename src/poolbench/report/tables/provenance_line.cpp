#include <poolbench/report/tables/provenance_line.hpp>

#include <string>
#include <vector>

namespace poolbench::report {

namespace {

// Packs `parts` into lines of at most `width` columns, "; " between parts
// on a line, continuation lines indented by two spaces; a part longer than a
// line is cut with "...". Nothing is dropped to make the text fit.
std::string wrapped(const std::vector<std::string>& parts, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  const auto limit = [&] {
    const std::size_t indent = lines.empty() ? 0 : 2;
    return width == 0 ? std::string::npos : (width > indent ? width - indent : 1);
  };
  const auto cut = [](std::string text, std::size_t room) {
    if (text.size() > room && room > 3)
      text = text.substr(0, room - 3) + "...";
    return text;
  };
  for (const auto& part : parts) {
    if (line.empty()) {
      line = cut(part, limit());
    } else if (line.size() + 2 + part.size() <= limit()) {
      line += "; " + part;
    } else {
      lines.push_back(line);
      line = cut(part, limit());
    }
  }
  lines.push_back(line);
  std::string out = lines.front();
  for (std::size_t i = 1; i < lines.size(); ++i)
    out += "\n  " + lines[i];
  return out;
}

}  // namespace

std::string provenance_line(const result_file& file, std::size_t width) {
  const auto value = [&](const char* key) { return file.context_value(key); };
  std::vector<std::string> parts{file.path + ":"};
  if (const auto revision = value("git_revision"); !revision.empty())
    parts.push_back("rev " + revision +
                    (value("git_dirty") == "true" ? " (with local changes)" : ""));
  if (const auto build = value("build_type"); !build.empty())
    parts.push_back(build + (value("compiler").empty() ? "" : " ") + value("compiler"));
  if (const auto cpu = value("cpu_model"); !cpu.empty())
    parts.push_back(cpu + (value("cpu_count").empty() ? "" : " x") + value("cpu_count"));
  if (const auto kernel = value("kernel"); !kernel.empty())
    parts.push_back(kernel);
  if (const auto start = value("load_average_start"); !start.empty())
    parts.push_back("load " + start + " -> " + value("load_average_end"));
  if (const auto reps = value("repetitions"); !reps.empty()) {
    parts.push_back(reps + " repetitions, " + value("warmup_rounds") + " warm-up round(s)" +
                    (value("interleaved") == "true" ? ", interleaved" : ""));
  }
  if (const auto kind = value("server_kind"); !kind.empty()) {
    const auto cpus = value("server_cpus");
    parts.push_back(kind + " server" +
                    (!cpus.empty() && cpus != "not pinned" ? " on CPUs " + cpus : ""));
  }
  // Idle CPUs that poll wake in a few us; halted ones as the host allows
  // (docs/noise.md). Said only when a run held them polling.
  if (value("cpu_idle") == "poll")
    parts.push_back("idle CPUs polling");
  if (const auto date = value("date"); !date.empty())
    parts.push_back(date);
  if (parts.size() == 1)
    parts.push_back("no provenance recorded");
  // "path: first; second; ...": the path and the first part share a line.
  parts[1] = parts[0] + " " + parts[1];
  parts.erase(parts.begin());
  return wrapped(parts, width);
}

}  // namespace poolbench::report
