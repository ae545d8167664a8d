#include <poolbench/report/formatted.hpp>
#include <poolbench/report/open_loop/open_loop.hpp>

#include <poolbench/report/tables/aligned_text.hpp>

#include <poolbench/report/input/load.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace poolbench::report {
namespace {

std::string fixed_1(double v) {
  return formatted("%.1f", v);
}

const open_loop_run& run_of(const benchmark_result& r) {
  static const open_loop_run none;
  return r.open_loop ? *r.open_loop : none;
}

std::uint64_t delay_of(const benchmark_result& r) {
  return r.workload ? r.workload->delay_ms : 0;
}

using by_strategy = std::map<std::string, std::vector<benchmark_result>>;

// Runs of one workload, by strategy, rates ascending.
std::map<open_loop_key, by_strategy> grouped(const std::vector<benchmark_result>& rows) {
  std::map<open_loop_key, by_strategy> out;
  for (const auto& r : rows)
    out[open_loop_key_of(r)][open_loop_strategy(r)].push_back(r);
  for (auto& [workload, strategies] : out) {
    for (auto& [strategy, list] : strategies) {
      std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
        return run_of(a).offered_rate < run_of(b).offered_rate;
      });
    }
  }
  return out;
}

// "async_pool up to 1400 req/s; thread_pool up to 1100 req/s; process_pool
// not even at the lowest rate", the pools that hold the most first.
std::string saturation_text(const by_strategy& strategies, double slo) {
  std::vector<std::pair<double, std::string>> held;
  for (const auto& [strategy, list] : strategies) {
    const auto rate = saturation_rate(list, slo);
    held.emplace_back(rate.value_or(-1), strategy + " " +
                                             (rate ? "up to " + rate_text(*rate) + " req/s"
                                                   : "not even at the lowest rate"));
  }
  std::stable_sort(held.begin(), held.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string text;
  for (const auto& [rate, words] : held) {
    text.append(text.empty() ? "" : "; ");
    text.append(words);
  }
  return text;
}

std::vector<benchmark_result> flattened(const by_strategy& strategies) {
  std::vector<benchmark_result> rows;
  for (const auto& [strategy, list] : strategies)
    rows.insert(rows.end(), list.begin(), list.end());
  return rows;
}

}  // namespace

std::string rate_text(double rate) {
  std::ostringstream out;
  out << std::round(rate * 10) / 10;
  return out.str();
}

std::vector<benchmark_result> open_loop_rows(const std::vector<result_file>& files) {
  std::vector<benchmark_result> rows;
  for (const auto& f : files) {
    for (const auto& b : f.benchmarks) {
      if (b.open_loop)
        rows.push_back(b);
    }
  }
  return rows;
}

std::vector<result_file> closed_loop_part(const std::vector<result_file>& files) {
  std::vector<result_file> out = files;
  for (auto& f : out)
    std::erase_if(f.benchmarks, [](const benchmark_result& b) { return b.open_loop.has_value(); });
  return out;
}

std::vector<benchmark_result> load_open_loop(const std::string& path) {
  return open_loop_rows({load_result_file(path)});
}

std::string latency_ms_text(double seconds) {
  if (!std::isfinite(seconds))
    return "n/a";
  return formatted(seconds < 0.01 ? "%.3f" : seconds < 1 ? "%.2f" : "%.0f", seconds * 1e3);
}

std::string open_loop_strategy(const benchmark_result& r) {
  if (r.workload)
    return std::string(results::to_string(r.workload->strategy));
  return r.name.substr(0, r.name.find('/'));
}

open_loop_key open_loop_key_of(const benchmark_result& r) {
  if (!r.workload)
    return {r.name.substr(0, r.name.find("/rate:"))};
  return {std::nullopt, r.workload->workers, r.workload->delay_ms, r.workload->keep_alive()};
}

std::string open_loop_workload(const open_loop_key& k) {
  if (k.unnamed)
    return *k.unnamed;
  return "workers:" + std::to_string(k.workers) + " delay_ms:" + std::to_string(k.delay_ms) +
         " keepalive:" + (k.keep_alive ? "1" : "0");
}

double default_slo_s(std::uint64_t delay_ms) {
  return delay_ms > 0 ? 10.0 * static_cast<double>(delay_ms) * 1e-3 : 5e-3;
}

std::optional<double> saturation_rate(std::vector<benchmark_result> rows, double slo_s) {
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return run_of(a).offered_rate < run_of(b).offered_rate;
  });
  std::optional<double> held;
  for (const auto& r : rows) {
    const auto& run = run_of(r);
    if (r.failed() || run.incomplete > 0 || !(run.latency.p99 <= slo_s))
      break;
    held = run.offered_rate;
  }
  return held;
}

laid_out_table lay_out_open_loop(const std::vector<benchmark_result>& rows) {
  laid_out_table t;
  t.group = rows.empty() ? "" : open_loop_workload(open_loop_key_of(rows.front()));
  t.title = "open loop: " + t.group + " (latency from intended send time, ms)";
  t.labels = {"Strategy", "Offered req/s", "Achieved req/s", "p50", "p90", "p99",
              "p99.9",    "Max",           "Incomplete"};
  t.with_ratio.assign(t.labels.size() - 1, false);
  t.solo = true;  // rates differ: a ratio between rows would compare unlike loads
  for (const auto& r : rows) {
    const auto& run = run_of(r);
    auto& cells =
        t.rows
            .emplace_back(laid_out_row{
                r.name,
                open_loop_strategy(r),
                r.failed() ? failure_text(r) + " (at " + rate_text(run.offered_rate) + " req/s)"
                           : "",
                {}})
            .cells;
    if (r.failed())
      continue;
    for (const std::string& text :
         {rate_text(run.offered_rate), fixed_1(run.achieved_rate), latency_ms_text(run.latency.p50),
          latency_ms_text(run.latency.p90), latency_ms_text(run.latency.p99),
          latency_ms_text(run.latency.p999), latency_ms_text(run.latency.max),
          std::to_string(run.incomplete)}) {
      cells.push_back({text, "", false, false});
    }
  }
  return t;
}

std::vector<std::string> open_loop_legend(const std::vector<benchmark_result>& rows) {
  std::vector<std::string> legend = {
      "Open loop: requests arrive on a schedule fixed before the run, whatever the pool does "
      "with them; latency runs from each request's intended send time to its checked answer "
      "(coordinated omission corrected). Incomplete: requests not answered before the drain "
      "deadline."};
  const auto above = std::find_if(rows.begin(), rows.end(), [](const benchmark_result& r) {
    return !r.failed() && run_of(r).achieved_rate > run_of(r).offered_rate;
  });
  if (above != rows.end()) {
    const bool uniform = above->workload && above->workload->open_loop &&
                         above->workload->open_loop->arrivals == results::arrivals::uniform;
    legend.push_back(
        "Achieved above Offered (" + open_loop_strategy(*above) + " at " +
        rate_text(run_of(*above).offered_rate) +
        " req/s: " + rate_text(run_of(*above).achieved_rate) + ", " +
        std::to_string(run_of(*above).requests) + " requests): " +
        (uniform ? std::string("more answers arrived inside the measured window than rate x "
                               "duration.")
                 : std::string("the Poisson schedule drew more arrivals than the nominal rate "
                               "x duration; Achieved counts answers per second of the run.")));
  }
  return legend;
}

void print_open_loop_tables(std::ostream& out, const std::vector<benchmark_result>& rows,
                            std::optional<double> slo_s, const render_options& options) {
  const bool markdown = options.format == output_format::md;
  for (const auto& [workload, strategies] : grouped(rows)) {
    const auto list = flattened(strategies);
    const double slo = slo_s.value_or(default_slo_s(delay_of(list.front())));
    const auto table = lay_out_open_loop(list);
    if (markdown) {
      out << "#### Open loop, " << open_loop_workload(workload) << "\n\n";
      write_markdown_table(out, table);
      out << '\n';
    } else {
      write_term_table(out, table, options.colour, options.width);
    }
    const auto saturation = "Saturation (highest offered rate with p99 <= " + latency_ms_text(slo) +
                            " ms and every request answered): " + saturation_text(strategies, slo);
    if (markdown)
      out << saturation << "\n";
    else
      write_wrapped(out, saturation, options.width, "", "  ");
    out << "\n";
  }
  if (rows.empty())
    return;
  if (markdown) {
    for (const auto& item : open_loop_legend(rows))
      out << "- " << item << '\n';
    out << '\n';
  } else {
    out << "Legend:\n";
    for (const auto& item : open_loop_legend(rows))
      write_legend_item(out, item, options.width);
  }
}

void print_open_loop_tables(std::ostream& out, const std::vector<benchmark_result>& rows,
                            std::optional<double> slo_s, bool markdown) {
  render_options options;
  options.format = markdown ? output_format::md : output_format::term;
  print_open_loop_tables(out, rows, slo_s, options);
}

void write_saturation_summary(std::ostream& out, const std::vector<benchmark_result>& rows,
                              std::optional<double> slo_s) {
  for (const auto& [workload, strategies] : grouped(rows)) {
    const double slo = slo_s.value_or(default_slo_s(delay_of(strategies.begin()->second.front())));
    out << "- " << open_loop_workload(workload) << ", p99 within " << latency_ms_text(slo)
        << " ms: " << saturation_text(strategies, slo) << "\n";
  }
  out << "\n";
}

}  // namespace poolbench::report
