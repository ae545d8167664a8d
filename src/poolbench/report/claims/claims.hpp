#pragma once

#include <poolbench/report/claims/bottleneck.hpp>
#include <poolbench/report/claims/ratio_estimate.hpp>
#include <poolbench/report/input/recorded_rule.hpp>
#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace poolbench::report {

// The workload a claim is about: a benchmark's typed workload without its
// strategy (results::workload), the one key that claims group by, pair by
// and read in. Text only at the edges: workload_text for the page, the
// sequential plan's file fields and the tests.

// A results::workload without its strategy, as its name carries it
// (results::parameters): the floor and unbounded have no mode, and workers
// only where the name has them.
struct workload_key {
  std::optional<std::size_t> batch;       // none for an open loop
  std::optional<std::uint64_t> delay_ms;  // none for a drawn delay
  std::optional<std::string> delay;       // a drawn delay's name form
  bool keep_alive = false;
  std::optional<std::size_t> workers;
  std::optional<results::pool_mode> mode;
  bool operator==(const workload_key&) const = default;
};

// The key of a poolbench benchmark; nullopt for one without a workload
// (another program's, pytest-benchmark's).
[[nodiscard]] std::optional<workload_key> workload_key_of(const benchmark_result& b);

// "batch=3 delay_ms=0 keepalive=0 mode=warm workers=3": the key's parts,
// each present one as key=value, in that order.
[[nodiscard]] std::string workload_text(const workload_key& k);

// Appends "key=value" to `out`, after a space unless `out` is empty.
void append_key_value(std::string& out, const char* key, const std::string& value);

// The strategy parameter, or "".
[[nodiscard]] std::string strategy_of(const benchmark_result& b);

// The reading order of claim rows: by batch, then delay_ms, delay,
// keepalive, workers and mode; a number before an absent one, an absent
// word (delay, mode) before a present one, cold before warm.
[[nodiscard]] bool reads_before(const workload_key& a, const workload_key& b);

// "What the results say", computed from result files so that no claim can
// drift from the numbers. Pairing: strategies are compared only within one
// workload - the same batch, delay_ms, keepalive, mode (warm vs warm, cold vs
// cold) and workers.

// One workload run by at least two strategies: the fastest (lowest mean of
// repetition means), the runner-up, and runner-up / fastest.
struct workload_claim {
  workload_key key;     // what it is grouped, paired and read by
  std::string source;   // the file's path
  std::string fastest;  // strategy names
  std::string runner_up;
  std::size_t strategies = 0;  // how many strategies ran this workload
  ratio_estimate estimate;     // base = fastest, candidate = runner-up
  std::optional<double> corrected_p;
  // The look of the sequential rule (sequential_plan.hpp) that decided the
  // claim: 1 at the planned repetitions, 2 at a later allowed total the
  // runner extended the workload to (estimate.*_values say how many).
  std::size_t look = 1;
  // decide() on runner-up / fastest: fastest_wins (below), same = tie,
  // otherwise inconclusive.
  verdict result = verdict::inconclusive;
  // A tie decided on an absolute margin instead of the relative one, in
  // words ("±1 MiB"); empty otherwise (cost_claims.hpp: memory).
  std::string tie_within;
  // Inconclusive because the interval crosses the margin: the repetitions
  // a side that would decide it if the interval kept narrowing as
  // 1 / sqrt(n) around this ratio (stats::projected_repetitions at the
  // look's spread; infinity when the ratio sits on the margin). NaN for
  // every other claim. What the reader needs to tell "more repetitions would
  // settle it" from "the pools are within noise of the margin".
  double repetitions_to_decide = std::numeric_limits<double>::quiet_NaN();
  // Inconclusive at the first look yet not extended, in the runner's words
  // (context.sequential of its file): "the second stage was off,
  // --extra-budget 0" or "no time left in --extra-budget"; empty otherwise,
  // and for files without that record.
  std::string not_extended;
  // What bounded each side's runs (bottleneck.hpp): a claim with a bound
  // side measured that side (the server, or the client's CPU), not the pools.
  bottleneck fastest_bound = bottleneck::none;
  bottleneck runner_up_bound = bottleneck::none;
};

// decide()'s `slower` on runner-up / fastest: the runner-up is slower beyond
// the margin, which in a claim is the fastest's win. The name claims read.
inline constexpr verdict fastest_wins = verdict::slower;

// What a cost claim compares: a counter of docs/result-format.md, lower is
// cheaper.
enum class cost_metric {
  cpu,     // client_cpu_us_per_request
  memory,  // pool_pss_mib (peak_pss_mib for files from before it: memory_counter)
};

// "Cheapest CPU per request" or "least memory" on one workload, decided as
// the time claims are, by the sequential rule: `claim.fastest` is the
// cheapest strategy (lowest mean of the counter over the first look's
// repetitions), `claim.estimate` runner-up / cheapest with its Welch
// interval at the look that decided (`claim.look`), Holm-corrected within
// the metric's family (cost_claims.hpp).
struct cost_claim {
  cost_metric metric = cost_metric::cpu;
  workload_claim claim;
};

// A pytest-benchmark (Python) benchmark and the C++ benchmark with the same
// strategy, mode, batch, workers and delay_ms: Python mean / C++ mean.
struct language_claim {
  std::string python;  // benchmark names
  std::string cpp;
  std::string workload;     // "strategy=serial mode=warm batch=3 workers=1 delay_ms=0"
  ratio_estimate estimate;  // base = C++, candidate = Python
};

struct results_claims {
  decision_rule rule;  // sequential.rule
  // The sequential rule the workload claims were decided by, and where it
  // came from (recorded_rule.hpp).
  sequential_settings sequential;
  std::string rule_origin;
  std::vector<workload_claim> workloads;
  std::vector<language_claim> languages;
  std::vector<cost_claim> costs;  // every cpu claim, then every memory claim
  // The counter every memory claim read (cost_claims.hpp, memory_counter_of):
  // "pool_pss_mib", the pool's own memory, or "peak_pss_mib", the whole
  // process, when a file has no pool_pss_mib. One counter for all of them.
  std::string memory_counter = "pool_pss_mib";
  // Python benchmarks with no C++ counterpart, as "name (strategy mode, N
  // workers)", and benchmarks left out because a repetition failed.
  std::vector<std::string> unmatched_python;
  // One line per (Python file, C++ file) pair measured in different sessions
  // or against different servers, "not comparable: A (Python) and B (C++):
  // <reason>": no factor is computed from such a pair (pairing.hpp).
  std::vector<std::string> not_comparable;
  std::vector<std::string> failed;
  std::size_t tests = 0;  // U tests in the Holm correction of the workload claims
  // drift_text(detect_drift(files)) (drift.hpp): whether any benchmark's time
  // changed with its repetition order; "" when none could be tested.
  std::string order;
};

// Google Benchmark files give the workload claims; pytest-benchmark files
// are matched against them for the language claims. The workload claims are
// decided by the sequential rule (evaluate_sequential) the files record,
// else the default one, with `given`'s alpha and margin over it
// (claims_rule_of): a Welch t interval at 1 - alpha/L and the Holm-corrected U
// test at alpha/L, at the first look or at the later one that repetitions
// added after looking reached, never by a single-look test over them.
[[nodiscard]] results_claims compute_claims(const std::vector<result_file>& files,
                                            const rule_choice& given = {});

// "thread_pool by 7.0% [3.0%, 11.0%]", "tie (within ±5%)", "inconclusive ...":
// the claim in words.
[[nodiscard]] std::string claim_text(const workload_claim& c, const decision_rule& rule);

// A workload_claim::repetitions_to_decide in words, as a count a reader can
// weigh: "about 32", "about 7000" (two significant digits past 100: a
// projection from the spread is rough), "more than 10,000" (also for
// infinity: no run of that size is a plan).
[[nodiscard]] std::string repetitions_words(double repetitions);
// The range from `fewest` to `most` in those words: "about 390", "about 33
// to 54", "from about 390 to more than 10,000".
[[nodiscard]] std::string repetitions_range_words(double fewest, double most);

// The answer at a glance: at most five sentences computed from the claims
// (never typed) that open "What the results say" on the page, in the
// terminal and in the README's generated block. They lead with what a reader
// decides on: the time verdict among the workloads that measured the pools
// (no side server-, client- or wake-up-bound: a bound case never leads),
// where those tie, then the cost (client CPU, the pool's own memory), then
// the bound workloads as what they measured. Each aggregates claims rather
// than listing them, and every ratio says it is against the runner-up.

[[nodiscard]] std::vector<std::string> answer_sentences(const results_claims& claims);

}  // namespace poolbench::report
