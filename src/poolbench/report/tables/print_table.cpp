#include <poolbench/report/tables/print_table.hpp>

#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/input/load.hpp>
#include <poolbench/report/open_loop/open_loop.hpp>
#include <poolbench/report/page/summary.hpp>
#include <poolbench/report/page/zoo.hpp>
#include <poolbench/report/page/zoo_section.hpp>
#include <poolbench/report/tables/aligned_text.hpp>
#include <poolbench/report/tables/provenance_line.hpp>

#include <poolbench/cli/terminal_width.hpp>

#include <sstream>
#include <string>

namespace poolbench::report {
namespace {

render_options writer_settings(const show_options& options) {
  render_options render = options;
  render.width = options.wide         ? 0
                 : options.width != 0 ? options.width
                                      : cli::terminal_width(fallback_width);
  return render;
}

std::size_t rows_in(const std::vector<result_file>& files) {
  std::size_t n = 0;
  for (const auto& f : files)
    n += f.benchmarks.size();
  return n;
}

}  // namespace

void print_results(std::ostream& out, const std::vector<result_file>& files,
                   const show_options& options) {
  const render_options render = writer_settings(options);
  // Render fully before writing, so a failure leaves no half table behind.
  std::ostringstream text;
  const bool for_people =
      options.format == output_format::term || options.format == output_format::md;
  if (!for_people) {
    write_tables(text, build_tables(files, {options.columns, options.sort, options.group_by}),
                 render);
    out << text.str();
    return;
  }
  for (const auto& file : files)
    text << provenance_line(file, options.format == output_format::term ? render.width : 0) << "\n";
  text << "\n";
  const auto after_provenance = text.tellp();
  // Experiment files ran against a backend of their own (experiment.hpp):
  // their tables and sentences come after, never pooled with the others. So
  // does the executor zoo (zoo.hpp), under a title of its own as on the page.
  const auto closed = closed_loop_part(default_backend_files(without_zoo_files(files)));
  struct zoo_part {
    const result_file* file;
    std::vector<result_file> closed;  // its closed-loop rows, computed once
  };
  std::vector<zoo_part> zoos;
  for (const auto& file : files) {
    if (!is_zoo_file(file))
      continue;
    auto part = closed_loop_part({file});
    if (rows_in(part) > 0)
      zoos.push_back({&file, std::move(part)});
  }
  const auto open = open_loop_rows(files);
  // Each part's tables, grouped so that a table holds one workload; the
  // keys that adds to --group-by.
  const auto write_part = [&](const std::vector<result_file>& part) {
    const auto group_by = comparable_grouping(part, options.group_by);
    write_tables(text, build_tables(part, {options.columns, options.sort, group_by}), render);
    return group_by;
  };
  // The tables of a part, then the grouping that added to --group-by.
  const auto write_part_and_grouping = [&](const std::vector<result_file>& part) {
    const auto group_by = write_part(part);
    if (group_by.size() > options.group_by.size()) {
      std::string added;
      for (auto k = group_by.begin() + static_cast<std::ptrdiff_t>(options.group_by.size());
           k != group_by.end(); ++k)
        added += (added.empty() ? "" : ", ") + *k;
      const auto line = "Also grouped by " + added +
                        ": a table holds one workload, so its ratios compare like "
                        "with like.";
      if (options.format == output_format::md)
        text << "- " << line << "\n";
      else
        write_wrapped(text, line, render.width, "  ", "    ");
    }
  };
  if (rows_in(closed) > 0 || (open.empty() && zoos.empty()))
    write_part_and_grouping(closed);
  if (!open.empty()) {
    if (rows_in(closed) > 0)
      text << "\n";
    print_open_loop_tables(text, open, options.slo_s, render);
  }
  for (const auto& file : files) {
    const auto kind = experiment_of(file);
    if (kind == experiment_kind::none)
      continue;
    const auto part = closed_loop_part({file});
    if (rows_in(part) == 0)
      continue;
    text << "\n";
    (void)write_part(part);
  }
  // What the closed-loop results say, when two strategies ran a workload.
  const auto claims = compute_claims(closed, options.rule);
  if (!claims.workloads.empty() || !claims.languages.empty() || !claims.not_comparable.empty()) {
    text << "\n";
    if (options.format == output_format::md)
      write_claims_markdown(text, claims);
    else
      print_summary(text, claims, render.width);
  }
  if (options.format == output_format::term) {
    std::ostringstream experiments;
    print_experiment_summary(experiments, files);
    if (!experiments.str().empty())
      text << "\n" << experiments.str();
  }
  // Each zoo file last, as on the page: its title, what it found, its tables
  // and its own claims, never another file's rows.
  for (const auto& zoo : zoos) {
    // One blank line from what came before (the experiments' summary ends with one).
    if (text.tellp() != after_provenance && !text.str().ends_with("\n\n"))
      text << "\n";
    const auto from = "From " + zoo.file->path + ": its cases are " + std::string(zoo_comparison);
    if (options.format == output_format::md) {
      text << "## " << zoo_heading << "\n\n" << from << "\n\n";
      for (const auto& s : zoo_sentences(*zoo.file))
        text << "- " << s << "\n";
    } else {
      text << zoo_heading << "\n";
      write_wrapped(text, from, render.width, "  ", "  ");
      for (const auto& s : zoo_sentences(*zoo.file))
        write_wrapped(text, s, render.width, "  - ", "    ");
    }
    text << "\n";
    write_part_and_grouping(zoo.closed);
    const auto zoo_claims = compute_claims({*zoo.file}, options.rule);
    if (!zoo_claims.workloads.empty()) {
      text << "\n";
      if (options.format == output_format::md)
        write_claims_markdown(text, zoo_claims);
      else
        print_summary(text, zoo_claims, render.width);
    }
  }
  out << text.str();
}

void print_table(std::ostream& out, const std::vector<result_file>& files,
                 const show_options& options) {
  std::ostringstream text;
  write_tables(text, build_tables(files, {options.columns, options.sort, options.group_by}),
               writer_settings(options));
  out << text.str();
}

}  // namespace poolbench::report
