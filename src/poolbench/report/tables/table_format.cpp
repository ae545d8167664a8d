#include <poolbench/report/tables/table_format.hpp>

#include <poolbench/report/input/errors.hpp>

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
      return write_csv(out, tables, options);
    case output_format::json:
      return write_json(out, tables, options);
  }
}

}  // namespace poolbench::report
