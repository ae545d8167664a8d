#include <poolbench/report/page/zoo_section.hpp>

#include <poolbench/report/page/anchor.hpp>
#include <poolbench/report/page/zoo.hpp>

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/charts/workload_family.hpp>
#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/open_loop/open_loop.hpp>
#include <poolbench/report/tables/cost_table.hpp>
#include <poolbench/report/tables/layout.hpp>
#include <poolbench/report/tables/table.hpp>
#include <poolbench/report/tables/table_format.hpp>

#include <cctype>
#include <filesystem>
#include <set>

namespace poolbench::report {
namespace {

namespace fs = std::filesystem;

// "asio_thread_pool, async_pool, ...": the strategies the file ran, sorted.
std::string strategies_of(const result_file& file) {
  std::set<std::string> names;
  for (const auto& b : file.benchmarks) {
    if (!b.param("strategy").empty())
      names.insert(b.param("strategy"));
  }
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "`" : ", `") + n + "`";
  return out;
}

void write_claims(std::ostream& page, const result_file& file, const page_options& options) {
  const auto claims = compute_claims({file}, options.rule);
  if (claims.workloads.empty())
    return;
  page << "Per workload, the fastest strategy against the runner-up (" << claims.rule_origin
       << "):\n\n| workload | strategies | fastest | runner-up | claim |\n"
       << "| :--- | ---: | :--- | :--- | :--- |\n";
  for (const auto& c : claims.workloads) {
    page << "| " << markdown_cell(workload_text(c.key)) << " | " << c.strategies << " | `"
         << markdown_cell(c.fastest) << "` | `" << markdown_cell(c.runner_up) << "` | "
         << markdown_cell(claim_text(c, claims.rule)) << " |\n";
  }
  page << '\n';
}

void write_tables(std::ostream& page, const result_file& file, const page_options& options) {
  const auto tables =
      build_tables(closed_loop_part({file}), {default_columns(), "mean", options.group_by});
  for (const auto& t : tables) {
    page << "### Zoo: " << (t.group.empty() ? "all benchmarks" : t.group) << "\n\n";
    write_markdown_table(page, lay_out(t, default_columns(), "mean", options.baseline));
    page << '\n';
    write_cost_markdown(page, t);
  }
}

void write_charts(std::ostream& page, std::vector<generated_file>& charts, const result_file& file,
                  const page_options& options) {
  std::vector<benchmark_result> rows;
  for (const auto& b : file.benchmarks) {
    if (!b.open_loop)
      rows.push_back(b);
  }
  const auto labels = file_distinct_labels(rows);
  struct kind {
    workers_metric metric;
    const char* file_part;
    const char* title;
  };
  const kind kinds[] = {
      {workers_metric::time, "workers", "Zoo: time per round vs workers"},
      {workers_metric::client_cpu, "cpu", "Zoo: client CPU per request vs workers"},
      {workers_metric::memory, "memory", "Zoo: memory vs workers"}};
  const std::string stem = fs::path(file.path).stem().string();
  for (const auto& family : workload_families(rows)) {
    std::vector<benchmark_result> members;
    std::vector<std::string> member_labels;
    for (std::size_t i : family.rows) {
      members.push_back(rows[i]);
      member_labels.push_back(labels[i]);
    }
    for (const auto& k : kinds) {
      const std::string title = std::string(k.title) + ": " + family.title;
      const std::string svg = workers_chart(members, title, member_labels, k.metric);
      if (svg.empty())
        continue;
      const auto path =
          fs::path(options.charts_dir) / (stem + "-" + k.file_part + "-" + family.slug + ".svg");
      charts.push_back({options.out.parent_path() / path, svg});
      page << "![" << title << "](" << path.generic_string() << ")\n\n";
    }
  }
}

}  // namespace

void write_zoo_headline(std::ostream& page, const std::vector<result_file>& files) {
  for (const auto& file : files) {
    if (!is_zoo_file(file))
      continue;
    const auto sentences = zoo_sentences(file);
    if (sentences.empty())
      continue;
    page << "### The executor zoo\n\n"
         << sentences.front() << " ([details](#" << anchor_of(zoo_heading) << "))\n\n";
  }
}

void write_zoo_sections(std::ostream& page, std::vector<generated_file>& charts,
                        const std::vector<result_file>& files, const page_options& options) {
  for (const auto& file : files) {
    if (!is_zoo_file(file))
      continue;
    const auto rel = relative_to_page(file.path, options.out);
    page << "## " << zoo_heading << "\n\n"
         << "From [`" << markdown_cell(rel) << "`](" << rel
         << ") (scripts/bench --zoo: poolbench-zoo, poolbench with the adapters of "
            "src/poolbench/zoo registered). Every strategy it registers, the built-ins and the "
            "adapters of real libraries alike, ran the same workloads against the default "
            "backend: "
         << strategies_of(file) << ". Its cases are " << zoo_comparison << "\n\n";
    const auto sentences = zoo_sentences(file);
    if (sentences.empty()) {
      page << "No case of this file measured.\n\n";
      continue;
    }
    for (const auto& s : sentences)
      page << "- " << s << '\n';
    page << '\n';
    write_claims(page, file, options);
    write_tables(page, file, options);
    write_charts(page, charts, file, options);
  }
}

}  // namespace poolbench::report
