#include <poolbench/report/claims/experiment.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/claims/sequential_family.hpp>
#include <poolbench/report/input/recorded_rule.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

namespace poolbench::report {
namespace {

// The command line's words, as the context records it (joined by spaces).
std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;)
    words.push_back(w);
  return words;
}

// The value of `--flag V` or `--flag=V` on the command line; nullopt when
// absent.
std::optional<std::string> flag_value(const result_file& file, const std::string& flag) {
  const auto words = words_of(file.context_value("command_line"));
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i] == flag && i + 1 < words.size())
      return words[i + 1];
    if (words[i].rfind(flag + "=", 0) == 0)
      return words[i].substr(flag.size() + 1);
  }
  return std::nullopt;
}

// A backend setting of the embedded server: the context's `server_model`
// (its flags as passed, by name without the dashes) when the runner recorded
// it, else the flag on the command line; nullopt when neither has it, or
// "0" (the model off).
std::optional<std::string> setting(const result_file& file, const std::string& flag) {
  std::string value;
  if (const auto* j = file.context_json("server_model"); j != nullptr && j->is_object()) {
    const auto key = flag.substr(std::string("--server-").size());
    if (const auto v = j->find(key); v != j->end())
      value = v->is_string() ? v->get<std::string>() : v->dump();
  }
  if (value.empty())
    value = flag_value(file, flag).value_or("");
  if (value.empty() || value == "0" || value == "0.0")
    return std::nullopt;
  return value;
}

bool drawn_delays(const result_file& file) {
  if (const auto d = flag_value(file, "--delay"))
    return d->find_first_of(":,") != std::string::npos;
  return std::any_of(file.benchmarks.begin(), file.benchmarks.end(),
                     [](const benchmark_result& b) { return !b.param("delay").empty(); });
}

std::optional<double> counter_of(const benchmark_result& r, const char* key) {
  const auto it = r.counters.find(key);
  if (it == r.counters.end() || !std::isfinite(it->second))
    return std::nullopt;
  return it->second;
}

}  // namespace

std::string round_time_text(double seconds) {
  const char* unit = "s";
  double v = seconds;
  if (seconds < 1e-3) {
    v = seconds * 1e6;
    unit = "µs";
  } else if (seconds < 1) {
    v = seconds * 1e3;
    unit = "ms";
  }
  return formatted(v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, unit);
}

namespace {

std::string number(double v, int decimals) {
  return formatted("%.*f", decimals, v);
}

std::string share_percent(double share) {
  return number(share * 100, 0) + " %";
}

// A round against its ideal, in the direction a reader reads it: "4 %
// longer than the ideal 160 ms" ("96 % of the ideal" left the direction to
// guess, and "153 ms against 153 ms" hid the difference in the rounding).
std::string against_ideal(double mean_s, double ideal_s) {
  const double d = mean_s / ideal_s - 1;
  const auto ideal = "the ideal " + round_time_text(ideal_s);
  if (std::abs(d) < 0.0005)
    return "the same as " + ideal;
  const double percent = std::abs(d) * 100;
  return number(percent, percent < 10 ? 1 : 0) + " % " + (d > 0 ? "longer" : "shorter") + " than " +
         ideal;
}

std::string workers_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " worker" : " workers");
}

// The rows of one strategy that have a pool size, by workers.
std::map<std::string, std::vector<const experiment_row*>> by_strategy(
    const std::vector<experiment_row>& rows) {
  std::map<std::string, std::vector<const experiment_row*>> out;
  for (const auto& r : rows) {
    if (r.workers)
      out[r.strategy].push_back(&r);
  }
  return out;
}

std::vector<const experiment_row*> without_pool(const std::vector<experiment_row>& rows) {
  std::vector<const experiment_row*> out;
  for (const auto& r : rows) {
    if (!r.workers)
      out.push_back(&r);
  }
  return out;
}

sequential_settings settings_of(const result_file& file) {
  return claims_rule_of({file}).settings;
}

// "240 rejected attempts a round and 1.94 attempts per request".
std::string rejection_text(const experiment_row& r) {
  std::string text = number(r.rejected_per_round.value_or(0), r.rejected_per_round < 10 ? 1 : 0) +
                     " rejected attempts a round";
  if (r.attempts_per_request)
    text += " and " + number(*r.attempts_per_request, 2) + " attempts per request";
  return text;
}

}  // namespace

experiment_kind experiment_of(const result_file& file) {
  if (setting(file, "--server-max-in-flight"))
    return experiment_kind::limited_api;
  if (setting(file, "--server-overload-us"))
    return experiment_kind::overload;
  if (drawn_delays(file))
    return experiment_kind::long_tail;
  return experiment_kind::none;
}

std::string backend_text(const result_file& file) {
  switch (experiment_of(file)) {
    case experiment_kind::limited_api: {
      const auto limit = setting(file, "--server-max-in-flight");
      const auto over = setting(file, "--server-over-limit").value_or("reject");
      return "a server that admits " + *limit + " requests at a time and " +
             (over == "queue" ? std::string("queues the excess until a slot frees")
                              : std::string("answers the excess with 503 and Retry-After"));
    }
    case experiment_kind::overload:
      return "an overloaded server: each request waits " + *setting(file, "--server-overload-us") +
             " µs longer for every other request in flight";
    case experiment_kind::long_tail: {
      auto spec = flag_value(file, "--delay");
      if (!spec) {
        for (const auto& b : file.benchmarks) {
          if (!b.param("delay").empty())
            spec = b.param("delay");
        }
      }
      return "delays drawn per request from " + spec.value_or("a distribution") +
             ", the same draws for every case (common random numbers)";
    }
    case experiment_kind::none:
      break;
  }
  return "";
}

std::vector<result_file> default_backend_files(const std::vector<result_file>& files) {
  return experiment_files(files, experiment_kind::none);
}

std::vector<result_file> experiment_files(const std::vector<result_file>& files,
                                          experiment_kind kind) {
  std::vector<result_file> out;
  for (const auto& f : files) {
    if (experiment_of(f) == kind)
      out.push_back(f);
  }
  return out;
}

std::string experiment_row::label() const {
  return workers ? strategy + "/" + std::to_string(*workers) : strategy;
}

bool experiment_row::no_rejections() const {
  return rejected_per_round.value_or(0) == 0;
}

std::vector<experiment_row> experiment_rows(const result_file& file) {
  std::vector<experiment_row> rows;
  for (const auto& b : file.benchmarks) {
    if (b.open_loop || b.failed() || !std::isfinite(b.stats.mean))
      continue;
    experiment_row r;
    r.result = &b;
    // Files whose names the workload parser does not know keep their first
    // part as `family`.
    r.strategy = !b.param("strategy").empty() ? b.param("strategy")
                 : !b.param("family").empty() ? b.param("family")
                                              : b.name;
    const auto w = b.param("workers");
    std::size_t n = 0;
    if (const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
        ec == std::errc() && end == w.data() + w.size() && n > 0)
      r.workers = n;
    r.mean_s = b.stats.mean;
    r.rejected_per_round = counter_of(b, "rejected_per_round");
    r.attempts_per_request = counter_of(b, "attempts_per_request");
    r.server_peak_in_flight = counter_of(b, "server_peak_in_flight");
    r.ideal_round_s = counter_of(b, "ideal_round_s");
    r.efficiency = counter_of(b, "efficiency");
    rows.push_back(r);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.workers.has_value() != b.workers.has_value())
      return a.workers.has_value();
    if (a.strategy != b.strategy)
      return a.strategy < b.strategy;
    return a.workers < b.workers;
  });
  return rows;
}

std::vector<row_comparison> compare_with(const experiment_row& base,
                                         const std::vector<const experiment_row*>& others,
                                         const sequential_settings& settings) {
  std::vector<row_comparison> out;
  out.reserve(others.size());  // the family points into these claims
  for (const auto* o : others) {
    row_comparison c;
    c.base = &base;
    c.other = o;
    c.claim.source = base.result->file;
    c.claim.fastest = base.label();
    c.claim.runner_up = o->label();
    c.claim.strategies = 2;
    out.push_back(std::move(c));
  }
  std::vector<sequential_pair> family;
  for (auto& c : out) {
    sequential_pair p;
    p.claim = &c.claim;
    p.base = inference_values(*c.base->result);
    p.candidate = inference_values(*c.other->result);
    family.push_back(std::move(p));
  }
  decide_sequentially(family, settings);
  return out;
}

std::string time_relation(const row_comparison& c, const sequential_settings& settings) {
  const double ratio = c.claim.estimate.ratio;
  switch (c.claim.result) {
    case verdict::same:
      return "the same time (a tie within ±" + number(settings.rule.threshold * 100, 0) + "%)";
    case verdict::slower:
    case verdict::faster:
      return number(ratio, 2) + "× the time";
    default:
      break;
  }
  return number(ratio, 2) + "× the time (not decided)";
}

std::vector<std::string> limited_api_sentences(const result_file& file) {
  const auto rows = experiment_rows(file);
  if (rows.empty())
    return {};
  const auto settings = settings_of(file);
  std::vector<std::string> out;
  const auto* best = fastest_row(rows, [](const experiment_row& r) { return r.no_rejections(); });
  if (best == nullptr) {
    const auto* fastest = fastest_row(rows, [](const experiment_row&) { return true; });
    out.push_back("Every case was rejected at times; the fastest round was " + fastest->label() +
                  "'s, " + round_time_text(fastest->mean_s) + ", with " + rejection_text(*fastest) +
                  ".");
    return out;
  }
  std::string head =
      "Fastest round with zero rejections: " + best->label() + ", " + round_time_text(best->mean_s);
  if (best->ideal_round_s)
    head += " (" + against_ideal(best->mean_s, *best->ideal_round_s) + ")";
  std::vector<const experiment_row*> clean, rejected;
  for (const auto& r : rows) {
    if (&r == best)
      continue;
    (r.no_rejections() ? clean : rejected).push_back(&r);
  }
  // One family: every comparison with the best is a test of its own.
  std::vector<const experiment_row*> all = clean;
  all.insert(all.end(), rejected.begin(), rejected.end());
  const auto compared = compare_with(*best, all, settings);
  std::string also;
  for (const auto& c : compared) {
    if (!c.other->no_rejections())
      continue;
    also += (also.empty() ? "" : ", ") + c.other->label() + " " + time_relation(c, settings);
  }
  out.push_back(head + (also.empty() ? "." : "; also without rejections: " + also + "."));
  for (const auto& c : compared) {
    if (c.other->no_rejections())
      continue;
    out.push_back(c.other->label() + " paid " + rejection_text(*c.other) + ", for " +
                  time_relation(c, settings) + " of " + best->label() + ".");
  }
  return out;
}

std::vector<std::string> overload_sentences(const result_file& file) {
  const auto rows = experiment_rows(file);
  if (rows.empty())
    return {};
  const auto settings = settings_of(file);
  std::vector<std::string> out;
  const auto* best = fastest_row(rows, [](const experiment_row& r) { return r.workers; });
  if (best != nullptr)
    out.push_back("Fastest round: " + best->label() + ", " + round_time_text(best->mean_s) + ".");
  for (const auto& [strategy, points] : by_strategy(rows)) {
    if (points.size() < 2)
      continue;
    const auto min_it = std::min_element(points.begin(), points.end(),
                                         [](auto a, auto b) { return a->mean_s < b->mean_s; });
    const experiment_row& min = **min_it;
    std::vector<const experiment_row*> neighbours;
    if (min_it != points.begin())
      neighbours.push_back(*(min_it - 1));
    if (min_it + 1 != points.end())
      neighbours.push_back(*(min_it + 1));
    const auto compared = compare_with(min, neighbours, settings);
    std::string s = strategy + "'s round is shortest at " + workers_text(*min.workers) + " (" +
                    round_time_text(min.mean_s) + ")";
    std::string detail;
    bool tie = false;
    for (const auto& c : compared) {
      detail += (detail.empty() ? "" : ", ") + std::to_string(*c.other->workers) + " take " +
                time_relation(c, settings);
      tie |= c.claim.result != fastest_wins;
    }
    if (!detail.empty())
      s += ": " + detail;
    if (min_it + 1 == points.end())
      s += "; the largest pool measured, so the minimum may lie beyond it";
    else if (min_it == points.begin())
      s += "; the smallest pool measured, so the minimum may lie below it";
    else if (tie)
      s += "; not every neighbour is decided slower, so the minimum lies near, not exactly at, it";
    out.push_back(s + ".");
  }
  if (best != nullptr) {
    const auto unpooled = without_pool(rows);
    const auto compared = compare_with(*best, unpooled, settings);
    for (const auto& c : compared) {
      std::string s = c.other->label() + " (the whole batch in flight) took " +
                      time_relation(c, settings) + " of " + best->label();
      if (!c.other->no_rejections())
        s += " and paid " + rejection_text(*c.other);
      out.push_back(s + ".");
    }
  }
  return out;
}

std::vector<std::string> long_tail_sentences(const result_file& file) {
  const auto rows = experiment_rows(file);
  if (rows.empty())
    return {};
  std::vector<std::string> out;
  const auto* closest = fastest_row(rows, [](const experiment_row& r) { return r.efficiency; });
  if (closest != nullptr) {
    const experiment_row* top = closest;
    for (const auto& r : rows) {
      if (r.efficiency && *r.efficiency > *top->efficiency)
        top = &r;
    }
    out.push_back("Closest to the exact ideal round: " + top->label() + ", " +
                  round_time_text(top->mean_s) + " a round, " +
                  against_ideal(top->mean_s, top->ideal_round_s.value_or(top->mean_s)) + ".");
  }
  for (const auto& [strategy, points] : by_strategy(rows)) {
    std::string eff, p99;
    for (const auto* p : points) {
      if (p->efficiency)
        eff += (eff.empty() ? "" : ", ") + share_percent(*p->efficiency) + " at " +
               std::to_string(*p->workers);
      if (p->result->latency && std::isfinite(p->result->latency->service.p99))
        p99 += (p99.empty() ? "" : ", ") + round_time_text(p->result->latency->service.p99) +
               " at " + std::to_string(*p->workers);
    }
    if (eff.empty() && p99.empty())
      continue;
    std::string s = strategy + ":";
    if (!eff.empty())
      s += " efficiency " + eff + " workers";
    if (!p99.empty())
      s += std::string(eff.empty() ? "" : ";") + " p99 service latency " + p99;
    out.push_back(s + ".");
  }
  // Pools of one size against each other: the time claims, as on the rest
  // of the page (their pairing: same batch, delay, mode and workers).
  const auto claims = compute_claims({file});
  for (const auto& c : claims.workloads) {
    const std::string where =
        c.key.workers ? std::to_string(*c.key.workers) + " workers" : workload_text(c.key);
    out.push_back("At " + where + ": " + claim_text(c, claims.rule) + ".");
  }
  return out;
}

std::vector<std::string> experiment_sentences(const result_file& file) {
  switch (experiment_of(file)) {
    case experiment_kind::limited_api:
      return limited_api_sentences(file);
    case experiment_kind::overload:
      return overload_sentences(file);
    case experiment_kind::long_tail:
      return long_tail_sentences(file);
    case experiment_kind::none:
      break;
  }
  return {};
}

const char* experiment_title(experiment_kind kind) {
  switch (kind) {
    case experiment_kind::limited_api:
      return "A limited API: which pool size finishes without rejections";
    case experiment_kind::long_tail:
      return "A long tail: how close each pool comes to the exact ideal";
    case experiment_kind::overload:
      return "An overloaded server: the pool size with the shortest round";
    case experiment_kind::none:
      break;
  }
  return "";
}

std::vector<experiment_summary> experiment_summaries(const std::vector<result_file>& files) {
  std::vector<experiment_summary> out;
  for (const auto& f : files) {
    if (const auto kind = experiment_of(f); kind != experiment_kind::none)
      out.push_back({&f, kind, experiment_sentences(f)});
  }
  return out;
}

void print_experiment_summary(std::ostream& out, const std::vector<result_file>& files) {
  for (const auto& e : experiment_summaries(files)) {
    out << experiment_title(e.kind) << " (" << e.file->path << ", " << backend_text(*e.file)
        << "):\n";
    for (const auto& s : e.sentences)
      out << "  " << s << '\n';
    out << '\n';
  }
}

}  // namespace poolbench::report
