#include <poolbench/report/page/results_page.hpp>

#include <poolbench/report/charts/svg_chart.hpp>
#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/page/anchor.hpp>
#include <poolbench/report/tables/units.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>

namespace poolbench::report {
namespace {

namespace fs = std::filesystem;

struct section_text {
  const char* heading;
  const char* anchor_stem;  // the charts' file names
  const char* reference_note;
};

section_text text_of(experiment_kind kind) {
  switch (kind) {
    case experiment_kind::limited_api:
      return {experiment_title(kind), "limited-api", "the fastest case with zero rejections"};
    case experiment_kind::long_tail:
      return {experiment_title(kind), "long-tail", "the fastest case"};
    case experiment_kind::overload:
      return {experiment_title(kind), "overload", "the fastest case with a pool"};
    case experiment_kind::none:
      break;
  }
  return {"", "", ""};
}

const experiment_row* reference_of(const std::vector<experiment_row>& rows, experiment_kind kind) {
  switch (kind) {
    case experiment_kind::limited_api:
      if (const auto* r = fastest_row(rows, [](const auto& x) { return x.no_rejections(); }))
        return r;
      break;
    case experiment_kind::overload:
      if (const auto* r = fastest_row(rows, [](const auto& x) { return x.workers.has_value(); }))
        return r;
      break;
    default:
      break;
  }
  return fastest_row(rows, [](const auto&) { return true; });
}

std::string fixed(std::optional<double> v, int decimals) {
  return v && std::isfinite(*v) ? format_fixed(*v, decimals) : "";
}

// A time in the table's unit: "163.2 ms".
std::string time_cell(double seconds) {
  if (!std::isfinite(seconds))
    return "";
  const auto scale = time_scale_for(seconds);
  return format_fixed(seconds * scale.factor, 2) + " " +
         (scale.prefix == "u" ? "µ" : scale.prefix) + "s";
}

struct column {
  const char* title;
  std::function<std::string(const experiment_row&)> cell;
};

void write_table(std::ostream& out, const std::vector<experiment_row>& rows,
                 const experiment_row& reference) {
  auto latency = [](latency_percentiles closed_loop_latency::*side,
                    double latency_percentiles::*p) {
    return [side, p](const experiment_row& r) {
      return r.result->latency ? time_cell(((*r.result->latency).*side).*p) : std::string();
    };
  };
  std::vector<column> all = {
      {"mean round", [](const experiment_row& r) { return time_cell(r.mean_s); }},
      {"× reference",
       [&reference](const experiment_row& r) { return format_ratio(reference.mean_s, r.mean_s); }},
      {"ideal round",
       [](const experiment_row& r) { return r.ideal_round_s ? time_cell(*r.ideal_round_s) : ""; }},
      {"efficiency",
       [](const experiment_row& r) {
         return r.efficiency ? format_fixed(*r.efficiency * 100, 0) + " %" : std::string();
       }},
      {"rejected / round", [](const experiment_row& r) { return fixed(r.rejected_per_round, 1); }},
      {"attempts / request",
       [](const experiment_row& r) { return fixed(r.attempts_per_request, 2); }},
      {"server peak in flight",
       [](const experiment_row& r) { return fixed(r.server_peak_in_flight, 0); }},
      {"service p50", latency(&closed_loop_latency::service, &latency_percentiles::p50)},
      {"service p99", latency(&closed_loop_latency::service, &latency_percentiles::p99)},
      {"service max", latency(&closed_loop_latency::service, &latency_percentiles::max)},
      {"queue p50", latency(&closed_loop_latency::queue, &latency_percentiles::p50)},
      {"queue p99", latency(&closed_loop_latency::queue, &latency_percentiles::p99)},
      {"queue max", latency(&closed_loop_latency::queue, &latency_percentiles::max)},
  };
  std::vector<column> shown;
  for (auto& c : all) {
    if (std::any_of(rows.begin(), rows.end(), [&](const auto& r) { return !c.cell(r).empty(); }))
      shown.push_back(std::move(c));
  }
  out << "| case |";
  for (const auto& c : shown)
    out << ' ' << (std::string(c.title) == "× reference" ? "× " + reference.label() : c.title)
        << " |";
  out << "\n| :--- |";
  for (std::size_t i = 0; i < shown.size(); ++i)
    out << " ---: |";
  out << '\n';
  for (const auto& r : rows) {
    out << "| `" << markdown_cell(r.label()) << "` |";
    for (const auto& c : shown)
      out << ' ' << c.cell(r) << " |";
    out << '\n';
  }
  out << '\n';
}

}  // namespace

void write_experiment_headlines(std::ostream& page,
                                const std::vector<experiment_summary>& experiments) {
  for (const auto& e : experiments) {
    if (e.sentences.empty())
      continue;
    const std::string heading = text_of(e.kind).heading;
    page << "### " << heading << "\n\n"
         << e.sentences.front() << " ([details](#" << anchor_of(heading) << "))\n\n";
  }
}

void write_experiment_sections(std::ostream& page, std::vector<generated_file>& charts,
                               const std::vector<experiment_summary>& experiments,
                               const page_options& options) {
  for (const auto& [file_pointer, kind, sentences] : experiments) {
    const auto& file = *file_pointer;
    const auto text = text_of(kind);
    const auto rows = experiment_rows(file);
    const auto rel = relative_to_page(file.path, options.out);
    page << "## " << text.heading << "\n\n"
         << "From [`" << markdown_cell(rel) << "`](" << rel << "), against " << backend_text(file)
         << ". Its cases met this backend only, so they are compared with each other and never "
            "with another file's rows.\n\n";
    if (rows.empty()) {
      page << "No case of this file measured.\n\n";
      continue;
    }
    for (const auto& s : sentences)
      page << "- " << s << '\n';
    page << '\n';
    const auto& reference = *reference_of(rows, kind);
    page << "Times are means over rounds; the `×` column is each mean round time ÷ `"
         << reference.label() << "`'s (" << text.reference_note
         << "); efficiency is the ideal round ÷ the mean round. Latency is per request over "
            "every timed round (closed loop: service from the request's start, queue from the "
            "batch's submission to that start).\n\n";
    write_table(page, rows, reference);
    std::vector<std::pair<experiment_metric, std::string>> wanted = {
        {experiment_metric::round_time, "round time"}};
    const bool rejected =
        std::any_of(rows.begin(), rows.end(), [](const auto& r) { return !r.no_rejections(); });
    if (kind == experiment_kind::limited_api || (kind == experiment_kind::overload && rejected))
      wanted.emplace_back(experiment_metric::rejected_per_round, "rejections");
    for (const auto& [metric, what] : wanted) {
      const std::string title =
          std::string(text.heading).substr(0, std::string(text.heading).find(':')) + ": " + what +
          " against workers";
      const auto svg = experiment_chart(rows, title, metric);
      if (svg.empty())
        continue;
      const auto path =
          fs::path(options.charts_dir) /
          (std::string(text.anchor_stem) + "-" +
           (metric == experiment_metric::round_time ? "time" : "rejections") + ".svg");
      charts.push_back({options.out.parent_path() / path, svg});
      page << "![" << title << "](" << path.generic_string() << ")\n\n";
    }
  }
}

}  // namespace poolbench::report
