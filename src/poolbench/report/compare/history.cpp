#include <poolbench/report/compare/history.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/compare/compare.hpp>
#include <poolbench/report/input/errors.hpp>
#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace poolbench::report {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t fallback_count = 6;

// Each file's git_revision when every file has a different one, else the
// file names.
std::vector<std::string> labels_of(const std::vector<result_file>& files) {
  std::vector<std::string> labels;
  std::set<std::string> distinct;
  for (const auto& f : files) {
    labels.push_back(f.context_value("git_revision"));
    distinct.insert(labels.back());
  }
  if (distinct.size() == files.size() && !distinct.count(""))
    return labels;
  labels.clear();
  for (const auto& f : files)
    labels.push_back(fs::path(f.path).filename().string());
  return labels;
}

std::vector<std::string> chosen_names(const std::vector<result_file>& files,
                                      const std::string& pattern) {
  std::vector<std::string> all;
  std::set<std::string> seen;
  for (const auto& f : files) {
    for (const auto& b : f.benchmarks) {
      if (seen.insert(b.name).second)
        all.push_back(b.name);
    }
  }
  std::regex re;
  try {
    re = std::regex(pattern.empty() ? default_history_regex : pattern);
  } catch (const std::regex_error& e) {
    throw usage_error("--benchmark: invalid regular expression \"" + pattern + "\": " + e.what());
  }
  std::vector<std::string> chosen;
  for (const auto& n : all) {
    if (std::regex_search(n, re))
      chosen.push_back(n);
  }
  if (chosen.empty() && pattern.empty()) {
    chosen.assign(all.begin(),
                  all.begin() + static_cast<long>(std::min(all.size(), fallback_count)));
  }
  if (chosen.empty())
    throw usage_error("--benchmark \"" + pattern + "\" matches no benchmark in the files");
  return chosen;
}

const benchmark_result* find(const result_file& f, const std::string& name) {
  for (const auto& b : f.benchmarks) {
    if (b.name == name)
      return &b;
  }
  return nullptr;
}

history_point point_of(const result_file& f, const std::string& label, const std::string& name) {
  history_point p;
  p.label = label;
  p.file = f.path;
  const auto* b = find(f, name);
  if (!b)
    return p;
  p.present = true;
  p.error = b->error;
  if (b->failed())
    return p;
  const auto values = inference_values(*b);
  p.mean = mean_of(values);
  bootstrap_options options;
  options.seed = bootstrap_seed_for(name);
  p.mean_interval = bootstrap_mean(values, options);
  return p;
}

std::string slug(const std::string& name) {
  std::string out;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_') {
      out += c;
    } else if (c == '/') {
      out += '_';
    } else if (c == ':' || c == '=') {
      out += '-';
    }
  }
  return out.empty() ? "benchmark" : out;
}

std::string mean_text(const history_point& p) {
  if (!p.present)
    return "absent";
  if (!p.error.empty())
    return "failed: " + p.error;
  const auto unit = time_scale_for(p.mean);
  if (p.mean_interval) {
    return formatted("%.4f %ss [%.4f, %.4f]", p.mean * unit.factor, unit.prefix.c_str(),
                     p.mean_interval->low * unit.factor, p.mean_interval->high * unit.factor);
  }
  return formatted("%.4f %ss", p.mean * unit.factor, unit.prefix.c_str());
}

}  // namespace

std::vector<benchmark_history> build_history(const std::vector<result_file>& files,
                                             const std::string& benchmark_regex,
                                             const decision_rule& rule) {
  const auto names = chosen_names(files, benchmark_regex);
  const auto labels = labels_of(files);
  // compare's verdicts for every consecutive pair, by benchmark name.
  std::vector<std::map<std::string, const comparison*>> steps(files.size());
  std::vector<comparison_report> reports;
  reports.reserve(files.size());
  for (std::size_t i = 1; i < files.size(); ++i) {
    reports.push_back(compare_results(files[i - 1], files[i], rule));
    for (const auto& c : reports.back().common)
      steps[i][c.name] = &c;
  }
  std::vector<benchmark_history> out;
  for (const auto& name : names) {
    benchmark_history h;
    h.name = name;
    for (std::size_t i = 0; i < files.size(); ++i) {
      auto p = point_of(files[i], labels[i], name);
      if (const auto it = steps[i].find(name); it != steps[i].end()) {
        p.vs_previous = it->second->result;
        if (it->second->result != verdict::failed)
          p.ratio = ratio_text(it->second->estimate);
      }
      h.points.push_back(std::move(p));
    }
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<generated_file> build_history_page(const std::vector<result_file>& files,
                                               const history_options& options) {
  const auto histories = build_history(files, options.benchmark_regex, options.rule);
  std::vector<generated_file> charts;
  std::ostringstream md;
  const std::string threshold = formatted("%g%%", options.rule.threshold * 100);
  md << "# Benchmark history\n\n"
     << "<!-- Generated by `poolbench-report history` from the result files listed below: do not "
        "edit by hand. -->\n\n"
     << "Each point is a benchmark's mean of repetition means in one result file, with its 95% "
        "percentile bootstrap interval (repetitions resampled, fixed seed). \"vs previous\" is "
        "`poolbench-report compare` of that file against the one before it: new/old with its "
        "interval and the verdict (Holm-corrected U test over repetition means across every "
        "benchmark the two files share; threshold ±"
     << threshold << "). A point whose verdict is **slower** is a regression, drawn red.\n\n"
     << "## Points\n\n| # | label | file | git_revision | date |\n"
     << "| ---: | :--- | :--- | :--- | :--- |\n";
  const auto labels = labels_of(files);
  const auto page = options.out_dir / "README.md";
  for (std::size_t i = 0; i < files.size(); ++i) {
    md << "| " << i + 1 << " | " << markdown_cell(labels[i]) << " | `"
       << markdown_cell(relative_to_page(files[i].path, page)) << "` | "
       << markdown_cell(files[i].context_value("git_revision")) << " | "
       << markdown_cell(files[i].context_value("date")) << " |\n";
  }
  md << '\n';
  std::set<std::string> used;
  for (const auto& h : histories) {
    std::string name = slug(h.name);
    while (!used.insert(name).second)
      name += "_";
    const auto chart_path = fs::path("charts") / (name + ".svg");
    std::vector<trend_point> trend;
    std::size_t regressions = 0;
    for (std::size_t i = 0; i < h.points.size(); ++i) {
      const auto& p = h.points[i];
      trend_point t;
      t.label = std::to_string(i + 1);
      t.label += ". ";
      t.label += p.label;
      if (p.present && p.error.empty()) {
        t.value = p.mean;
        t.band = p.mean_interval;
      }
      t.marked = p.vs_previous == verdict::slower;
      regressions += t.marked ? 1 : 0;
      trend.push_back(std::move(t));
    }
    charts.push_back({options.out_dir / chart_path, trend_chart(trend, h.name)});
    md << "## " << h.name << "\n\n![" << h.name << "](" << chart_path.generic_string() << ")\n\n"
       << regressions << " regression(s).\n\n"
       << "| # | label | mean [95% CI] | vs previous: new/old [95% CI] | verdict |\n"
       << "| ---: | :--- | ---: | ---: | :--- |\n";
    for (std::size_t i = 0; i < h.points.size(); ++i) {
      const auto& p = h.points[i];
      std::string v = p.vs_previous ? to_string(*p.vs_previous) : "";
      if (p.vs_previous == verdict::slower)
        v = "**slower** (regression)";
      md << "| " << i + 1 << " | " << markdown_cell(p.label) << " | " << markdown_cell(mean_text(p))
         << " | " << p.ratio << " | " << v << " |\n";
    }
    md << '\n';
  }
  std::vector<generated_file> out;
  out.push_back({page, md.str()});
  out.insert(out.end(), charts.begin(), charts.end());
  return out;
}

}  // namespace poolbench::report
