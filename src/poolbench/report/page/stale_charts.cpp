#include <poolbench/report/page/stale_charts.hpp>

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>
#include <system_error>

namespace poolbench::report {
namespace {

namespace fs = std::filesystem;

// Every chart file name results_page.cpp and workers_section.cpp generate
// starts with one of these.
constexpr const char* chart_prefixes[] = {"mean-", "workers-", "cpu-", "memory-", "open-loop-"};

bool slug_character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

}  // namespace

bool is_render_chart_name(const std::string& file_name) {
  const std::string suffix = ".svg";
  if (file_name.size() <= suffix.size() ||
      file_name.compare(file_name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  const std::string stem = file_name.substr(0, file_name.size() - suffix.size());
  for (const std::string prefix : chart_prefixes) {
    if (stem.size() > prefix.size() && stem.compare(0, prefix.size(), prefix) == 0)
      return std::all_of(stem.begin() + static_cast<std::ptrdiff_t>(prefix.size()), stem.end(),
                         slug_character);
  }
  return false;
}

std::vector<fs::path> orphaned_charts(const std::vector<generated_file>& generated,
                                      const page_options& options) {
  const fs::path folder = (options.out.parent_path() / options.charts_dir).lexically_normal();
  std::set<fs::path> written;
  for (const auto& g : generated)
    written.insert(g.path.lexically_normal());
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(folder, ec)))
    return out;  // no charts folder (or a link to one elsewhere): nothing of ours
  fs::directory_iterator listing(folder, ec);
  if (ec)
    throw std::runtime_error(folder.string() + ": cannot list: " + ec.message());
  for (const auto& entry : listing) {
    const fs::path path = (folder / entry.path().filename()).lexically_normal();
    if (!is_render_chart_name(path.filename().string()) || written.count(path) > 0)
      continue;
    std::error_code status_ec;
    if (fs::is_regular_file(fs::symlink_status(path, status_ec)))
      out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> remove_orphaned_charts(const std::vector<generated_file>& generated,
                                             const page_options& options) {
  auto stale = orphaned_charts(generated, options);
  for (const auto& path : stale) {
    std::error_code ec;
    if (!fs::remove(path, ec) && ec)
      throw std::runtime_error(path.string() + ": cannot remove: " + ec.message());
  }
  return stale;
}

}  // namespace poolbench::report
