#include <poolbench/report/tables/table_format.hpp>

#include <poolbench/report/input/errors.hpp>

#include <algorithm>
#include <string>

namespace poolbench::report {

output_format parse_output_format(std::string_view name) {
  if (name == "term")
    return output_format::term;
  if (name == "md" || name == "markdown")
    return output_format::md;
  if (name == "csv")
    return output_format::csv;
  if (name == "json")
    return output_format::json;
  throw usage_error("unknown format \"" + std::string(name) + "\" (known: term, md, csv, json)");
}

std::string ratio_legend(const std::string& baseline) {
  const std::string best = "the best of its column in its table (lowest time, highest OPS)";
  if (baseline.empty())
    return "Ratios (in brackets): each value against " + best + ", which reads (1.0).";
  const std::string what =
      baseline == "floor"
          ? "the floor's at the same workers (raw sockets and epoll, at most that many requests "
            "in flight: the least a client can do at that concurrency)"
          : "the " + baseline + " row's at the same workers";
  return "Ratios (in brackets): each value against " + what + ", which reads (1.0); where " +
         baseline + " has no row of those workers, its row without workers (the whole batch in " +
         "flight), else its first; in a table without " + baseline + ", against " + best + ".";
}

bool any_ratios(const std::vector<table>& tables) {
  return std::any_of(tables.begin(), tables.end(), [](const table& t) {
    return t.rows.size() > 1 && std::any_of(t.rows.begin(), t.rows.end(),
                                            [](const benchmark_result& r) { return r.workload; });
  });
}

const char* outliers_legend() noexcept {
  return "Outliers: 1 Standard Deviation from Mean; 1.5 IQR (InterQuartile Range) from 1st "
         "Quartile and 3rd Quartile.";
}

const char* ops_legend() noexcept {
  return "OPS: Operations Per Second, computed as 1 / Mean";
}

std::string load_model_legend(const std::vector<table>& tables) {
  for (const auto& t : tables) {
    for (const auto& r : t.rows) {
      // poolbench rows (a workload, or per-round samples) and pytest's rounds.
      if (r.workload || r.kind == sample_kind::rounds)
        return closed_loop_caveat();
    }
  }
  return "Google Benchmark file: each value is one repetition's real_time per iteration, as the "
         "program under test measured it; the file records no load model.";
}

void write_tables(std::ostream& out, const std::vector<table>& tables,
                  const render_options& options) {
  switch (options.format) {
    case output_format::term:
      return write_term(out, tables, options);
    case output_format::md:
      return write_markdown(out, tables, options);
    case output_format::csv:
    case output_format::json:
      return write_machine_readable(out, tables, options);
  }
}

}  // namespace poolbench::report
