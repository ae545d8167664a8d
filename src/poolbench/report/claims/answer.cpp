#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/formatted.hpp>

#include <poolbench/report/claims/cost_claims.hpp>
#include <poolbench/report/stats_names.hpp>
#include <poolbench/report/word_list.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace poolbench::report {
namespace {

using claim_list = std::vector<const workload_claim*>;

std::string whole_percent(double fraction) {
  return formatted("%.0f", fraction * 100);
}

// "19-48%", or "19%" when both ends print alike.
std::string percent_range(double low, double high) {
  const auto a = whole_percent(low), b = whole_percent(high);
  return (a == b ? a : a + "-" + b) + "%";
}

std::string count_text(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool bound(const workload_claim& c) {
  return c.fastest_bound != bottleneck::none || c.runner_up_bound != bottleneck::none;
}

// The values each part of the claims' workloads takes (a part none has:
// empty).
struct workload_values {
  std::set<std::uint64_t> batch, delay_ms, workers;
  std::set<bool> keep_alive;
  std::set<results::pool_mode> mode;
};

workload_values values_of(const claim_list& claims) {
  workload_values out;
  for (const auto* c : claims) {
    const auto& k = c->key;
    if (k.batch)
      out.batch.insert(*k.batch);
    if (k.delay_ms)
      out.delay_ms.insert(*k.delay_ms);
    if (k.workers)
      out.workers.insert(*k.workers);
    out.keep_alive.insert(k.keep_alive);
    if (k.mode)
      out.mode.insert(*k.mode);
  }
  return out;
}

// "3-4096", "64": the span of a part's values.
std::string span(const std::set<std::uint64_t>& values) {
  const auto low = std::to_string(*values.begin()), high = std::to_string(*values.rbegin());
  return low == high ? low : low + "-" + high;
}

// Whether `mine` narrows `every`: a number when its span does ("3-4096" of
// "1-4096"), a word when its values do; never when either has none.
template <class T>
bool narrows(const std::set<T>& mine, const std::set<T>& every) {
  if (mine.empty() || every.empty())
    return false;
  if constexpr (std::is_same_v<T, std::uint64_t>)
    return span(mine) != span(every);
  else
    return mine != every;
}

// Where `subset` lies among `all`: each workload part whose values it
// narrows ("at 256-4096 workers, keep-alive"); "" when it narrows none.
std::string where(const claim_list& subset, const claim_list& all) {
  const auto mine = values_of(subset), every = values_of(all);
  std::vector<std::string> parts;
  const bool by_workers = narrows(mine.workers, every.workers);
  if (by_workers) {
    const auto& w = mine.workers;
    parts.push_back("at " + span(w) + (w.size() == 1 && *w.begin() == 1 ? " worker" : " workers"));
  }
  if (narrows(mine.batch, every.batch) && !by_workers)  // batch follows workers in the sweeps
    parts.push_back("batch " + span(mine.batch));
  if (narrows(mine.delay_ms, every.delay_ms))
    parts.push_back("delay " + span(mine.delay_ms) + " ms");
  if (narrows(mine.keep_alive, every.keep_alive) && mine.keep_alive.size() == 1)
    parts.push_back(*mine.keep_alive.begin() ? "keep-alive" : "a new connection per request");
  if (narrows(mine.mode, every.mode) && mine.mode.size() == 1)
    parts.push_back(std::string(results::to_string(*mine.mode.begin())) + " pools");
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : ", ") + p;
  return out;
}

// How a winner's lead reads from the runner-up's side, so that the ratio
// says what it is relative to: "takes 29-60% longer", "uses 23% more".
struct lead_words {
  const char* verb;         // is fastest, is cheapest
  const char* one;          // takes, uses: said of one runner-up
  const char* several;      // take, use: of the runners-up of several workloads
  const char* comparative;  // longer, more
};

// The runners-up of `won`, each once, in the order met.
std::vector<std::string> runners_up(const claim_list& won) {
  std::vector<std::string> names;
  for (const auto* c : won) {
    if (std::find(names.begin(), names.end(), c->runner_up) == names.end())
      names.push_back(c->runner_up);
  }
  return names;
}

// "async_pool is fastest in 3 of 16 workloads (at 64-1024 workers,
// keep-alive): the runner-up, thread_pool, takes 29-60% longer (98.3%
// intervals 22-86%); thread_pool in 1 (...): ...": the winners of `claims`,
// most wins first, each with where it won and its lead over the runner-up.
std::string winners_text(const claim_list& claims, const lead_words& words,
                         const std::string& level) {
  std::map<std::string, claim_list> wins;
  for (const auto* c : claims) {
    if (c->result == fastest_wins)
      wins[c->fastest].push_back(c);
  }
  std::vector<std::pair<std::string, claim_list>> ranked(wins.begin(), wins.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::string out;
  for (const auto& [strategy, won] : ranked) {
    double lead_low = 1e300, lead_high = -1e300, ci_low = 1e300, ci_high = -1e300;
    std::size_t bound_wins = 0;
    for (const auto* c : won) {
      lead_low = std::min(lead_low, c->estimate.ratio - 1);
      lead_high = std::max(lead_high, c->estimate.ratio - 1);
      ci_low = std::min(ci_low, c->estimate.ratio_interval->low - 1);
      ci_high = std::max(ci_high, c->estimate.ratio_interval->high - 1);
      bound_wins += bound(*c) ? 1 : 0;
    }
    std::string place = where(won, claims);
    if (bound_wins > 0)
      place += (place.empty() ? "" : "; ") + std::to_string(bound_wins) +
               (won.size() == 1 ? " bound" : " of them bound");
    const bool first = out.empty();
    out += first ? strategy + " " + words.verb + " in " + std::to_string(won.size()) + " of " +
                       count_text(claims.size(), "workload", "workloads")
                 : "; " + strategy + " in " + std::to_string(won.size());
    if (!place.empty())
      out += " (" + place + ")";
    const auto others = runners_up(won);
    const bool one = others.size() == 1;
    out += std::string(one ? ": the runner-up, " : ": the runners-up, ") + word_list(others, "or") +
           ", " + (one ? words.one : words.several) + " " + percent_range(lead_low, lead_high) +
           " " + words.comparative + " (" + level +
           (won.size() == 1 ? " interval " : " intervals ") + percent_range(ci_low, ci_high) + ")";
  }
  return out;
}

std::size_t count_of(const claim_list& claims, verdict v) {
  return static_cast<std::size_t>(
      std::count_if(claims.begin(), claims.end(), [v](const auto* c) { return c->result == v; }));
}

// The time verdict where the pools were measured: `measured` are the claims
// no bound hid (all of them when the files cannot tell, `bounds_known`
// false), so a bound case's win never leads the answer.
std::string time_sentence(const claim_list& measured, bool bounds_known, const std::string& level) {
  std::string out;
  if (bounds_known)
    out = "Time, where the pools were measured (not server-, client- or wake-up-bound): ";
  if (measured.empty()) {
    out.append("no workload; every one was bound (below).");
    return out;
  }
  const auto text = winners_text(measured, {"is fastest", "takes", "take", "longer"}, level);
  if (!text.empty()) {
    out.append(text).append(".");
    return out;
  }
  out.append(bounds_known ? "no" : "No");
  out.append(" pool is faster than its runner-up beyond the margin in any of the ");
  out.append(count_text(measured.size(), "workload", "workloads"));
  out.append(" run by two strategies or more.");
  return out;
}

// The pair of strategies most often tied in `ties`, and how often: "5 of
// them thread_pool and async_pool".
std::string most_tied_pair(const claim_list& ties) {
  std::map<std::pair<std::string, std::string>, std::size_t> pairs;
  for (const auto* c : ties)
    ++pairs[std::minmax(c->fastest, c->runner_up)];
  const auto most = std::max_element(
      pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  const auto& [a, b] = most->first;
  const auto n = most->second;
  return (n == ties.size() ? std::string(ties.size() == 1 ? "" : "all ")
                           : std::to_string(n) + " of them ") +
         a + " and " + b;
}

// Why the inconclusive claims are, and what deciding those whose interval
// crosses the margin would take, from their own projections: ": their
// intervals cross the margin; at this spread deciding them (a win or a tie)
// would take from about 390 to more than 10,000 repetitions of each pool".
// Tells a budget that ran out from pools within noise of the margin.
std::string open_reason(const claim_list& open) {
  std::vector<double> needed;
  for (const auto* c : open) {
    if (!std::isnan(c->repetitions_to_decide))
      needed.push_back(c->repetitions_to_decide);
  }
  const std::string generic = ": the interval crosses the margin or the U test is not significant";
  if (needed.empty())
    return generic;
  const auto [low, high] = std::minmax_element(needed.begin(), needed.end());
  const auto range = repetitions_range_words(*low, *high);
  const std::string take = " (a win or a tie) would take " + range + " repetitions of each pool";
  if (needed.size() < open.size())
    return generic + "; at this spread deciding the " + std::to_string(needed.size()) +
           (needed.size() == 1 ? " whose interval crosses it" : " whose intervals cross it") + take;
  return open.size() == 1
             ? ": its interval crosses the margin; at this spread deciding it" + take
             : ": their intervals cross the margin; at this spread deciding them" + take;
}

std::string tie_sentence(const claim_list& claims, const decision_rule& rule) {
  claim_list ties, open;
  for (const auto* c : claims) {
    if (c->result == verdict::same)
      ties.push_back(c);
    if (c->result == verdict::inconclusive)
      open.push_back(c);
  }
  const auto margin = "±" + whole_percent(rule.threshold) + "%";
  std::string out = ties.empty() ? "No workload is a tie within " + margin
                                 : "The fastest two tie within " + margin + " in " +
                                       count_text(ties.size(), "workload", "workloads");
  if (!ties.empty()) {
    const auto w = where(ties, claims);
    out += " (" + (w.empty() ? "" : w + "; ") + most_tied_pair(ties) + ")";
  }
  if (!open.empty()) {
    const auto w = where(open, claims);
    out += ", and " + std::to_string(open.size()) + (open.size() == 1 ? " stays" : " stay") +
           " inconclusive" + (w.empty() ? "" : " (" + w + ")") + open_reason(open);
  }
  return out + ".";
}

// The memory claims tie on either margin (cost_claims.hpp).
std::string memory_tie_words(const decision_rule& rule) {
  return " (within ±" + whole_percent(rule.threshold) + "% or ±" +
         formatted("%g MiB)", memory_tie_mib);
}

std::string cost_sentence(const claim_list& claims, cost_metric metric,
                          const std::string& memory_counter, const decision_rule& rule,
                          const std::string& level) {
  const std::string what =
      metric == cost_metric::cpu         ? "In client CPU per request (poolbench and its workers), "
      : memory_counter == "pool_pss_mib" ? "In the pool's own memory (pool_pss_mib), "
                                         : "In memory (peak_pss_mib, the whole process: these "
                                           "files have no pool_pss_mib), ";
  // Decided by the time claims' rule (cost_claims.hpp), at its confidence.
  const auto text = winners_text(claims, {"is cheapest", "uses", "use", "more"}, level);
  const auto rest = count_of(claims, verdict::same);
  const auto open = claims.size() - rest - count_of(claims, fastest_wins);
  std::string tail;
  if (rest > 0)
    tail = " " + std::to_string(rest) + (rest == 1 ? " ties" : " tie") +
           (metric == cost_metric::memory ? memory_tie_words(rule) : "");
  if (open > 0)
    tail += (tail.empty() ? " " : " and ") + std::to_string(open) +
            (open == 1 ? " stays" : " stay") + " inconclusive";
  if (text.empty())
    return what + "no pool is cheapest beyond the margin in any of the " +
           count_text(claims.size(), "workload", "workloads") + ":" + tail + ".";
  return what + text + (tail.empty() ? "" : ";" + tail) + ".";
}

std::string bound_sentence(const claim_list& claims) {
  std::map<std::string, claim_list> clients;
  claim_list servers, wakeups, any;
  for (const auto* c : claims) {
    if (!bound(*c))
      continue;
    any.push_back(c);
    for (const auto& [strategy, b] :
         {std::pair{c->fastest, c->fastest_bound}, std::pair{c->runner_up, c->runner_up_bound}}) {
      if (client_side_bound(b))
        clients[strategy].push_back(c);
    }
    if (server_side_bound(c->fastest_bound) || server_side_bound(c->runner_up_bound))
      servers.push_back(c);
    if (wakeup_side_bound(c->fastest_bound) || wakeup_side_bound(c->runner_up_bound))
      wakeups.push_back(c);
  }
  if (any.empty())
    return "No workload was server- or client-bound (busy share under " +
           whole_percent(results::busy_bound) +
           "% on both sides), so every claim compares the pools.";
  std::string parts;
  const auto add = [&](const std::string& who, const claim_list& list) {
    const auto w = where(list, claims);
    parts += (parts.empty() ? "" : "; ") + who + " in " + std::to_string(list.size()) +
             (w.empty() ? "" : " (" + w + ")");
  };
  for (const auto& [strategy, list] : clients)
    add(strategy + " was client-bound", list);
  if (!servers.empty())
    add("the server was saturated", servers);
  if (!wakeups.empty())
    add("the machine's wake-ups set the round", wakeups);
  std::size_t sides = servers.size() + wakeups.size();
  for (const auto& [strategy, list] : clients)
    sides += list.size();
  if (sides > any.size())
    parts += "; a workload bound on several sides counts in each";
  return "A bound hides the pools in " + std::to_string(any.size()) + " of " +
         count_text(claims.size(), "workload", "workloads") +
         ", whose claims measured the bound side, not the pools: " + parts + ".";
}

claim_list pointers(const std::vector<workload_claim>& claims) {
  claim_list out;
  for (const auto& c : claims)
    out.push_back(&c);
  return out;
}

claim_list of_metric(const std::vector<cost_claim>& costs, cost_metric metric) {
  claim_list out;
  for (const auto& c : costs) {
    if (c.metric == metric)
      out.push_back(&c.claim);
  }
  return out;
}

}  // namespace

std::vector<std::string> answer_sentences(const results_claims& claims) {
  std::vector<std::string> out;
  const auto time = pointers(claims.workloads);
  if (time.empty())
    return out;
  // Files without the busy counters (no cost counters either) cannot say
  // whether a bound hid the pools: every claim counts as measured, and no
  // bound sentence says a false "none".
  const bool bounds_known = !claims.costs.empty();
  claim_list measured;
  for (const auto* c : time) {
    if (!bound(*c))
      measured.push_back(c);
  }
  // Time claims are decided by the sequential rule, at its look confidence.
  const std::string level = formatted("%.1f%%", look_confidence(claims.sequential) * 100);
  // What a reader decides on first: the time verdict where the pools were
  // measured, then what they cost, then the bound cases as what they are.
  out.push_back(time_sentence(measured, bounds_known, level));
  if (!measured.empty())
    out.push_back(tie_sentence(measured, claims.rule));
  for (const auto metric : {cost_metric::cpu, cost_metric::memory}) {
    if (const auto costs = of_metric(claims.costs, metric); !costs.empty())
      out.push_back(cost_sentence(costs, metric, claims.memory_counter, claims.rule, level));
  }
  if (bounds_known)
    out.push_back(bound_sentence(time));
  return out;
}

}  // namespace poolbench::report
