#include <poolbench/report/page/results_page.hpp>

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/charts/workload_family.hpp>

namespace poolbench::report {

void write_workers_section(std::ostream& page, std::vector<generated_file>& charts,
                           const std::vector<result_file>& closed_loop_files,
                           const page_options& options) {
  std::vector<benchmark_result> rows;
  for (const auto& f : closed_loop_files)
    rows.insert(rows.end(), f.benchmarks.begin(), f.benchmarks.end());
  const auto labels = file_distinct_labels(rows);
  struct kind {
    workers_metric metric;
    const char* file_prefix;
    const char* title;
  };
  const kind kinds[] = {{workers_metric::time, "workers-", "Time per round vs workers"},
                        {workers_metric::client_cpu, "cpu-", "Client CPU per request vs workers"},
                        {workers_metric::memory, "memory-", "Memory vs workers"}};
  bool headed = false;
  for (const auto& family : workload_families(rows)) {
    std::vector<benchmark_result> members;
    std::vector<std::string> member_labels;
    for (std::size_t i : family.rows) {
      members.push_back(rows[i]);
      member_labels.push_back(labels[i]);
    }
    bool family_headed = false;
    for (const auto& k : kinds) {
      const std::string title = std::string(k.title) + ": " + family.title;
      const std::string svg = workers_chart(members, title, member_labels, k.metric);
      if (svg.empty())
        continue;
      if (!headed) {
        page << "## Against workers: time, client CPU and memory per workload family\n\n"
             << "Log-log, one colour per strategy; keep-alive and new-connection cases of a "
                "family share its charts (dashed: a new connection per request). A ring marks a "
                "server-bound case, a square a client-bound one, a cross a wake-up-bound one.\n\n";
        headed = true;
      }
      if (!family_headed) {
        page << "### " << family.title << "\n\n";
        family_headed = true;
      }
      const auto path = std::filesystem::path(options.charts_dir) /
                        (std::string(k.file_prefix) + family.slug + ".svg");
      charts.push_back({options.out.parent_path() / path, svg});
      page << "![" << title << "](" << path.generic_string() << ")\n\n";
    }
  }
}

}  // namespace poolbench::report
