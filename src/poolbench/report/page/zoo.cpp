#include <poolbench/report/page/zoo.hpp>

#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/input/recorded_rule.hpp>
#include <poolbench/report/tables/units.hpp>

#include <poolbench/results/strategy.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <map>
#include <tuple>

namespace poolbench::report {
namespace {

// The rows of one zoo workload, whatever the workers: batch, delay and
// keep-alive (workers differ by
// strategy: a pool's size, the whole batch for a strategy without one).
using zoo_group = std::tuple<std::size_t, std::uint64_t, bool>;

std::map<zoo_group, std::vector<const experiment_row*>> by_workload(
    const std::vector<experiment_row>& rows) {
  std::map<zoo_group, std::vector<const experiment_row*>> out;
  for (const auto& r : rows) {
    const auto& w = r.result->workload;
    if (w && !w->delay)
      out[{w->batch, w->delay_ms, w->keep_alive()}].push_back(&r);
  }
  return out;
}

// "batch 4096, 10 ms, keep-alive": the workload in words.
std::string group_words(const zoo_group& k) {
  const auto& [batch, delay_ms, keep_alive] = k;
  return "batch " + std::to_string(batch) + ", " +
         (delay_ms == 0 ? std::string("no delay") : std::to_string(delay_ms) + " ms") + ", " +
         (keep_alive ? "keep-alive" : "a new connection per request");
}

bool ranked(const experiment_row& r) {
  return results::is_contender(r.strategy);
}

// "On batch 4096, 10 ms, keep-alive, asio_thread_pool/1024 had the shortest
// round of 7 strategies (157 ms); the slowest, process_pool/1024, took 2.43×
// the time (decided); of the other 5, 3 decided slower, 2 the same time."
std::string time_sentence(const zoo_group& k, const std::vector<const experiment_row*>& rows,
                          const sequential_settings& settings) {
  std::vector<const experiment_row*> executors;
  std::copy_if(rows.begin(), rows.end(), std::back_inserter(executors),
               [](const experiment_row* r) { return ranked(*r); });
  if (executors.size() < 2)
    return "";
  const auto by_mean = [](const experiment_row* a, const experiment_row* b) {
    return a->mean_s < b->mean_s;
  };
  const auto* best = *std::min_element(executors.begin(), executors.end(), by_mean);
  const auto* slowest = *std::max_element(executors.begin(), executors.end(), by_mean);
  if (slowest == best)
    return "";  // every mean the same: nothing to rank
  std::vector<const experiment_row*> others;
  std::copy_if(executors.begin(), executors.end(), std::back_inserter(others),
               [best](const experiment_row* r) { return r != best; });
  const auto compared = compare_with(*best, others, settings);
  std::string s = "On " + group_words(k) + ", " + best->label() + " had the shortest round of " +
                  std::to_string(executors.size()) + " strategies (" +
                  round_time_text(best->mean_s) + ")";
  std::size_t slower = 0, same = 0, open = 0;
  std::string middle;     // the one other than the fastest and the slowest, when only one
  std::string undecided;  // their labels: a count alone left the reader asking which
  for (const auto& c : compared) {
    if (c.other == slowest) {
      s += "; the slowest, " + slowest->label() + ", took " + time_relation(c, settings);
      continue;
    }
    middle = "; " + c.other->label() + " took " + time_relation(c, settings);
    if (c.claim.result == verdict::slower)
      ++slower;
    else if (c.claim.result == verdict::same)
      ++same;
    else {
      ++open;
      undecided += (undecided.empty() ? "" : ", ") + c.other->label();
    }
  }
  // The rest in counts: how many are decided slower, tie, or are not decided.
  std::string rest;
  const std::pair<std::size_t, const char*> counts[] = {
      {slower, " decided slower"}, {same, " the same time"}, {open, " not decided"}};
  for (const auto& [n, what] : counts) {
    if (n > 0)
      rest += (rest.empty() ? "" : ", ") + std::to_string(n) + what;
  }
  if (open > 0 && open <= 3)
    rest += " (" + undecided + ")";
  const auto rest_count = others.size() - 1;
  if (rest_count == 1)
    s += middle;
  else if (rest_count > 0 && open == rest_count)
    s += "; none of the other " + std::to_string(rest_count) + " is decided";
  else if (!rest.empty())
    s += "; of the other " + std::to_string(rest_count) + ", " + rest;
  return s + ".";
}

// "client CPU per request from 21 µs (async_pool/1024) to 180 µs (...)".
std::string spread(const std::vector<const experiment_row*>& rows, const char* counter,
                   const char* what, double scale, const char* unit) {
  const experiment_row* low = nullptr;
  const experiment_row* high = nullptr;
  auto value = [counter](const experiment_row* r) {
    const auto it = r->result->counters.find(counter);
    return it == r->result->counters.end() ? NAN : it->second;
  };
  for (const auto* r : rows) {
    if (!ranked(*r) || !std::isfinite(value(r)))
      continue;
    if (low == nullptr || value(r) < value(low))
      low = r;
    if (high == nullptr || value(r) > value(high))
      high = r;
  }
  if (low == nullptr || low == high)
    return "";
  auto amount = [&](const experiment_row* r) {
    const double v = value(r) * scale;
    return format_fixed(v, v >= 100 ? 0 : v >= 10 ? 1 : 2) + " " + unit + " (" + r->label() + ")";
  };
  return std::string(what) + " from " + amount(low) + " to " + amount(high);
}

}  // namespace

bool is_zoo_file(const result_file& file) {
  const auto workload = file.context_value("workload");
  return workload == "zoo" || workload.rfind("zoo (", 0) == 0;
}

std::vector<result_file> without_zoo_files(const std::vector<result_file>& files) {
  std::vector<result_file> out;
  std::copy_if(files.begin(), files.end(), std::back_inserter(out),
               [](const result_file& f) { return !is_zoo_file(f); });
  return out;
}

std::vector<std::string> zoo_sentences(const result_file& file) {
  const auto rows = experiment_rows(file);
  const auto workloads = by_workload(rows);
  if (workloads.empty())
    return {};
  const auto settings = claims_rule_of({file}).settings;
  // The largest keep-alive point with a delay (where executors differ most)
  // leads, then the article's workload (no delay), then the rest.
  std::vector<zoo_group> order;
  for (const auto& entry : workloads)
    order.push_back(entry.first);
  const auto is_sweep = [](const zoo_group& k) { return std::get<1>(k) > 0; };
  std::stable_sort(order.begin(), order.end(), [&](const zoo_group& a, const zoo_group& b) {
    if (is_sweep(a) != is_sweep(b))
      return !is_sweep(a);  // the article's first, then the sweep by batch
    return a < b;
  });
  if (is_sweep(order.back()))
    std::rotate(order.begin(), order.end() - 1, order.end());  // the largest point leads
  std::vector<std::string> out;
  for (const auto& k : order) {
    if (auto s = time_sentence(k, workloads.at(k), settings); !s.empty())
      out.push_back(std::move(s));
  }
  const auto& largest = workloads.at(order.front());
  std::string costs;
  for (auto part :
       {spread(largest, "client_cpu_us_per_request", "client CPU per request", 1.0, "µs"),
        spread(largest, "pool_pss_mib", "the pool's own memory", 1.0, "MiB")}) {
    if (!part.empty())
      costs += (costs.empty() ? "" : "; ") + part;
  }
  if (!costs.empty()) {
    costs[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(costs[0])));
    out.push_back("On " + group_words(order.front()) + ": " + costs + ".");
  }
  return out;
}

}  // namespace poolbench::report
