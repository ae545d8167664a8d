#pragma once

#include <poolbench/report/page/results_page.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace poolbench::report {

// Charts render wrote once and no longer writes (a workload family or chart
// kind gone from the data): the page stops linking them, so they would pile
// up in the charts folder. render owns only the names it generates: a chart
// prefix ("mean-", "workers-", "cpu-", "memory-", "open-loop-"), a slug of
// letters, digits and "_-.", then ".svg". Anything else in the folder (notes,
// hand-made figures) is never touched.
[[nodiscard]] bool is_render_chart_name(const std::string& file_name);

// The files directly in the page's charts folder (options.out's folder /
// options.charts_dir) that have a render chart name, are regular files (no
// folders, no symbolic links) and are not among `generated`. Sorted.
[[nodiscard]] std::vector<std::filesystem::path> orphaned_charts(
    const std::vector<generated_file>& generated, const page_options& options);

// Removes orphaned_charts(); returns what it removed. Throws
// std::runtime_error naming a file it could not remove.
std::vector<std::filesystem::path> remove_orphaned_charts(
    const std::vector<generated_file>& generated, const page_options& options);

}  // namespace poolbench::report
