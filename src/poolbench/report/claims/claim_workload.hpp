#pragma once
// The workload a claim is about: a benchmark's typed workload without its
// strategy (results::workload), the one key that claims group by, pair by
// and read in. Text only at the edges: workload_text for the page, the
// sequential plan's file fields and the tests.

#include <poolbench/report/input/result.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace poolbench::report {

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

}  // namespace poolbench::report
