#include <poolbench/report/page/results_page.hpp>

#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/tables/latency_table.hpp>
#include <poolbench/report/tables/noise_line.hpp>
#include <poolbench/report/tables/table_format.hpp>

#include <poolbench/report/open_loop/open_loop.hpp>

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/page/summary.hpp>
#include <poolbench/report/page/zoo.hpp>
#include <poolbench/report/page/zoo_section.hpp>
#include <poolbench/report/tables/cost_table.hpp>
#include <poolbench/report/tables/layout.hpp>
#include <poolbench/report/tables/table.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

namespace poolbench::report {
namespace {

namespace fs = std::filesystem;

// "batch=3 delay_ms=0" → "batch-3_delay_ms-0": a file name for a group.
std::string slug(const std::string& group) {
  if (group.empty())
    return "all";
  std::string out;
  for (char c : group) {
    if (c == ' ') {
      out += '_';
    } else if (c == '=') {
      out += '-';
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.') {
      out += c;
    }
  }
  return out;
}

void write_sources(std::ostream& out, const std::vector<result_file>& files, const fs::path& page) {
  out << "## Sources\n\n| file | written by | benchmarks |\n| :--- | :--- | ---: |\n";
  for (const auto& f : files) {
    const auto rel = relative_to_page(f.path, page);
    out << "| [`" << markdown_cell(rel) << "`](" << rel << ") | " << to_string(f.format) << " | "
        << f.benchmarks.size() << " |\n";
  }
  out << '\n';
}

// The cross matrix page under a heading of this page: its own "# " title is
// dropped, the rest (a generated header and tables) kept as written.
void write_cross_matrix(std::ostream& out, const page_options& options) {
  if (options.cross_matrix.empty())
    return;
  std::string body = options.cross_matrix;
  if (body.rfind("# ", 0) == 0)
    body.erase(0, body.find('\n') == std::string::npos ? body.size() : body.find('\n') + 1);
  while (!body.empty() && body.front() == '\n')
    body.erase(0, 1);
  const auto rel = relative_to_page(options.cross_matrix_file, options.out);
  out << "## Client language x server (cross matrix)\n\n"
      << "From [`" << markdown_cell(rel) << "`](" << rel
      << ") (scripts/reference/cross-matrix), as it was written:\n\n"
      << body;
  if (body.empty() || body.back() != '\n')
    out << '\n';
  out << '\n';
}

void write_context(std::ostream& out, const std::vector<result_file>& files, const fs::path& page) {
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const auto& f : files) {
    for (const auto& [k, v] : f.context) {
      if (seen.insert(k).second)
        keys.push_back(k);
    }
  }
  if (keys.empty())
    return;
  out << "## Run context\n\n| key |";
  for (const auto& f : files)
    out << " `" << markdown_cell(relative_to_page(f.path, page)) << "` |";
  out << "\n| :--- |";
  for (std::size_t i = 0; i < files.size(); ++i)
    out << " :--- |";
  out << '\n';
  for (const auto& k : keys) {
    out << "| " << markdown_cell(k) << " |";
    for (const auto& f : files) {
      const auto v = f.context_value(k);
      out << ' ' << (v.empty() ? "" : markdown_cell(v)) << " |";
    }
    out << '\n';
  }
  out << '\n';
}

}  // namespace

// The open-loop section: per workload, the latency table, the saturation
// points and the p99/p50-against-rate chart (the knee).
void write_open_loop_section(std::ostream& page, std::vector<generated_file>& charts,
                             const std::vector<result_file>& files, const page_options& options) {
  const auto rows = open_loop_rows(files);
  if (rows.empty())
    return;
  page << "## Open loop: which pool holds its tail at a given load\n\n"
       << "From ";
  const char* separator = "";
  for (const auto& f : files) {
    if (open_loop_rows({f}).empty())
      continue;
    page << separator << "`" << relative_to_page(f.path, options.out) << "`";
    separator = ", ";
  }
  page << " (poolbench --rate). Requests arrive on a schedule fixed before the run, whatever "
          "the pool does with them; latency runs from each request's intended send time to its "
          "checked answer (coordinated omission corrected), so a pool that cannot keep up shows "
          "it as latency. A pool's saturation point is the highest offered rate at which its p99 "
          "stays within the SLO with every request answered, at that rate and every lower one.\n\n";
  print_open_loop_tables(page, rows, options.slo_s, /*markdown=*/true);
  std::map<open_loop_key, std::vector<benchmark_result>> by_workload;
  for (const auto& r : rows)
    by_workload[open_loop_key_of(r)].push_back(r);
  for (const auto& [key, points] : by_workload) {
    const auto workload = open_loop_workload(key);
    const auto& any = points.front();
    const double slo =
        options.slo_s.value_or(default_slo_s(any.workload ? any.workload->delay_ms : 0));
    const std::string title = "Open loop, " + workload + ": latency vs offered rate";
    const auto path = fs::path(options.charts_dir) / ("open-loop-" + slug(workload) + ".svg");
    charts.push_back({options.out.parent_path() / path, open_loop_chart_svg(points, slo, title)});
    page << "![" << title << "](" << path.generic_string() << ")\n\n";
  }
}

std::vector<generated_file> build_results_page(const std::vector<result_file>& files,
                                               const page_options& options) {
  std::vector<generated_file> charts;
  const fs::path folder = options.out.parent_path();
  const auto open_loop = open_loop_rows(files);
  // Experiment files (experiment.hpp) ran against a backend of their own,
  // and the zoo (zoo.hpp) ran strategies of its own program: their sections
  // below, never in the default backend's tables or claims.
  const auto closed = closed_loop_part(default_backend_files(without_zoo_files(files)));
  const auto tables = build_tables(closed, {default_columns(), "mean", options.group_by});

  std::ostringstream page;
  page << "# poolbench results\n\n"
       << "<!-- Generated by `poolbench-report render` from the result files listed below: do not "
          "edit by hand. Regenerate with scripts/render-results; CI runs `render --check`. -->\n\n";
  // A result from a busy machine says so before anything it claims.
  if (const auto busy = busy_machine_line(files); !busy.empty())
    page << "> **" << busy << "**\n\n";
  if (const auto quiet = quiet_machine_line(files); !quiet.empty())
    page << quiet << "\n\n";
  const auto claims = compute_claims(closed, options.rule);
  write_claims_markdown(page, claims);
  if (!open_loop.empty()) {
    page << "### Open loop: the load at which each pool still holds its tail\n\n"
         << "The highest offered rate (requests arriving on their own schedule) at which each "
            "pool keeps its p99 latency within the SLO with every request answered "
            "([details](#open-loop-which-pool-holds-its-tail-at-a-given-load)):\n\n";
    write_saturation_summary(page, open_loop, options.slo_s);
  }
  // Each experiment's sentences, for its headline, its section and the README.
  const auto experiments = experiment_summaries(files);
  write_experiment_headlines(page, experiments);
  write_zoo_headline(page, files);
  write_cross_matrix(page, options);
  page << "## How the tables read\n\n"
       << "One round is one batch of requests (submit every name, wait for every response, check "
          "every body); statistics are over rounds, as pytest-benchmark reports them. "
       << ratio_legend(options.baseline) << "\n\n"
       << "> " << closed_loop_caveat() << "\n\n";
  write_sources(page, files, options.out);

  if (!tables.empty() || open_loop.empty())
    page << "## Results\n\n";
  if (tables.empty() && open_loop.empty())
    page << "No benchmarks in the given files.\n\n";
  for (const auto& t : tables) {
    const std::string name = slug(t.group);
    page << "### " << (t.group.empty() ? "All benchmarks" : t.group) << "\n\n";
    write_markdown_table(page, lay_out(t, default_columns(), "mean", options.baseline));
    page << '\n';
    write_cost_markdown(page, t);
    write_latency_markdown(page, t);
    const std::string title = "Time per round" + (t.group.empty() ? "" : ": " + t.group);
    const std::string whiskers = whisker_chart(t.rows, title, t.short_names);
    const auto whiskers_path = fs::path(options.charts_dir) / ("mean-" + name + ".svg");
    charts.push_back({folder / whiskers_path, whiskers});
    page << "![" << title << "](" << whiskers_path.generic_string() << ")\n\n";
  }
  write_workers_section(page, charts, closed, options);
  write_experiment_sections(page, charts, experiments, options);
  write_zoo_sections(page, charts, files, options);
  write_open_loop_section(page, charts, files, options);
  page << "Legend:\n\n- " << outliers_legend() << "\n- " << ops_legend()
       << "\n- Names: `<strategy>/<warm|cold>/batch:N/workers:N/delay_ms:N`; warm pools are built "
          "outside the timed region, cold pools inside every round; `serial` is one request after "
          "another. Python rows (`test_*`) come from scripts/reference (the article's "
          "pytest-benchmark tests).\n\n";
  if (const auto costs = cost_legend(fit_cost_columns(tables, 0), 0); !costs.empty())
    page << "- " << costs << "\n\n";
  if (const auto latency = latency_legend(tables); !latency.empty())
    page << "- " << latency << "\n\n";
  write_context(page, files, options.out);

  std::vector<generated_file> out;
  out.push_back({options.out, page.str()});
  out.insert(out.end(), charts.begin(), charts.end());
  if (!options.readme.empty())
    out.push_back(readme_with_answer(options, claims, files, experiments));
  return out;
}

std::string relative_to_page(const std::string& path, const fs::path& page) {
  const auto from = fs::absolute(page).parent_path().lexically_normal();
  const auto rel = fs::absolute(path).lexically_normal().lexically_relative(from);
  return rel.empty() ? path : rel.generic_string();
}

std::string markdown_cell(std::string text) {
  for (std::size_t at = text.find('|'); at != std::string::npos; at = text.find('|', at + 2)) {
    text.replace(at, 1, "\\|");
  }
  return text;
}

void write_generated(const std::vector<generated_file>& files) {
  for (const auto& f : files) {
    if (f.path.has_parent_path())
      fs::create_directories(f.path.parent_path());
    std::ofstream out(f.path, std::ios::binary | std::ios::trunc);
    out << f.content;
    out.close();
    if (!out)
      throw std::runtime_error(f.path.string() + ": cannot write: " + std::strerror(errno));
  }
}

std::string overwrite_problem(const fs::path& page, const std::vector<result_file>& files) {
  std::ifstream in(page, std::ios::binary);
  if (!in)
    return "";
  std::ostringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  if (content.find("<!-- Generated by `poolbench-report render`") == std::string::npos)
    return page.string() + " exists and was not written by poolbench-report render";
  // The Sources table: "| [`a.json`](a.json) | ...", one row per input.
  std::set<std::string> before;
  const auto start = content.find("## Sources\n");
  const auto end = start == std::string::npos ? start : content.find("\n## ", start + 1);
  std::istringstream lines(content.substr(start == std::string::npos ? 0 : start,
                                          start == std::string::npos ? 0 : end - start));
  for (std::string line; std::getline(lines, line);) {
    const auto open = line.find("](");
    const auto close = open == std::string::npos ? open : line.find(')', open);
    if (line.rfind("| [`", 0) == 0 && close != std::string::npos)
      before.insert(line.substr(open + 2, close - open - 2));
  }
  std::set<std::string> now;
  for (const auto& f : files)
    now.insert(relative_to_page(f.path, page));
  if (before == now)
    return "";
  std::string names;
  for (const auto& n : before)
    names += (names.empty() ? "" : ", ") + n;
  return page.string() + " was made from other files (" + (names.empty() ? "none" : names) + ")";
}

std::vector<fs::path> stale_files(const std::vector<generated_file>& files) {
  std::vector<fs::path> stale;
  for (const auto& f : files) {
    std::ifstream in(f.path, std::ios::binary);
    std::ostringstream text;
    if (in)
      text << in.rdbuf();
    if (!in || text.str() != f.content)
      stale.push_back(f.path);
  }
  return stale;
}

}  // namespace poolbench::report
