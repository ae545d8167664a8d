#pragma once

#include <poolbench/report/claims/claims.hpp>
#include <poolbench/report/input/result.hpp>
#include <poolbench/report/stats_names.hpp>

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace poolbench::report {

// The experiments that ran against a backend model of their own (a server
// with a concurrency limit, an overloaded server) or with drawn delays (a
// long tail). Their rows measured another backend than the default run's:
// each file is a section of its own, never pooled or paired with another
// file's rows, even where the workload names coincide.
enum class experiment_kind {
  none,         // the default backend: a fixed delay, no limit
  limited_api,  // --server-max-in-flight (with --server-over-limit reject)
  long_tail,    // --delay with a distribution
  overload,     // --server-overload-us
};

// What `file` measured against, from its context: the recorded server
// model when there is one, else the command line that made it. A limit
// comes before an overload, an overload before a tail.
[[nodiscard]] experiment_kind experiment_of(const result_file& file);

// The backend in words, for a section's opening: "a server that admits 16
// requests at a time and answers the excess with 503"; "" for none.
[[nodiscard]] std::string backend_text(const result_file& file);

// The files of the default backend, and those of one experiment.
[[nodiscard]] std::vector<result_file> default_backend_files(const std::vector<result_file>& files);
[[nodiscard]] std::vector<result_file> experiment_files(const std::vector<result_file>& files,
                                                        experiment_kind kind);

// One measured closed-loop case of an experiment file.
struct experiment_row {
  const benchmark_result* result = nullptr;
  std::string strategy;                // "thread_pool", "unbounded"
  std::optional<std::size_t> workers;  // none for a strategy without a pool size
  double mean_s = 0;                   // mean round time
  std::optional<double> rejected_per_round;
  std::optional<double> attempts_per_request;
  std::optional<double> server_peak_in_flight;
  std::optional<double> ideal_round_s;
  std::optional<double> efficiency;
  // "thread_pool/16", "unbounded": what sentences and tables call it.
  [[nodiscard]] std::string label() const;
  // The case had no rejected attempt in any repetition (or no counter: a
  // backend that never rejects).
  [[nodiscard]] bool no_rejections() const;
};

// The successful closed-loop cases of `file`, by strategy then workers,
// strategies without a pool size (unbounded) last.
[[nodiscard]] std::vector<experiment_row> experiment_rows(const result_file& file);

// The fastest row (lowest mean round) among those `eligible` accepts;
// nullptr when none is.
template <class Pred>
const experiment_row* fastest_row(const std::vector<experiment_row>& rows, Pred eligible) {
  const experiment_row* best = nullptr;
  for (const auto& r : rows) {
    if (eligible(r) && (best == nullptr || r.mean_s < best->mean_s))
      best = &r;
  }
  return best;
}

// `others` compared with `base` by the sequential rule the file records
// (one family, Holm-corrected, sequential_family.hpp): claim.fastest is the
// base, claim.runner_up the other, estimate.ratio other / base.
struct row_comparison {
  const experiment_row* base = nullptr;
  const experiment_row* other = nullptr;
  workload_claim claim;
};
[[nodiscard]] std::vector<row_comparison> compare_with(
    const experiment_row& base, const std::vector<const experiment_row*>& others,
    const sequential_settings& settings);

// "2.31× the time (decided)", "the same time (within ±5%)", "1.04× the time
// (not decided)": what the comparison says of the other's time.
[[nodiscard]] std::string time_relation(const row_comparison& c,
                                        const sequential_settings& settings);

// "163 ms", "2.41 ms", "1.20 s", "310 µs": a round's time to three
// significant digits, for sentences.
[[nodiscard]] std::string round_time_text(double seconds);

// The sentences of each experiment, computed from its rows; empty when the
// file has no measured case. The first is the headline.
[[nodiscard]] std::vector<std::string> limited_api_sentences(const result_file& file);
[[nodiscard]] std::vector<std::string> overload_sentences(const result_file& file);
[[nodiscard]] std::vector<std::string> long_tail_sentences(const result_file& file);
[[nodiscard]] std::vector<std::string> experiment_sentences(const result_file& file);

// An experiment file with its sentences, computed once for every place that
// shows them (the page's headline and section, the README's answer).
struct experiment_summary {
  const result_file* file = nullptr;
  experiment_kind kind = experiment_kind::none;
  std::vector<std::string> sentences;
};
// The experiment files among `files`, in order.
[[nodiscard]] std::vector<experiment_summary> experiment_summaries(
    const std::vector<result_file>& files);

// A section's title: "A limited API: which pool size finishes without
// rejections"; "" for none.
[[nodiscard]] const char* experiment_title(experiment_kind kind);

// The sentences for a terminal: per experiment file a titled block (its
// path and backend, then each sentence), nothing when there is none.
void print_experiment_summary(std::ostream& out, const std::vector<result_file>& files);

}  // namespace poolbench::report
