#pragma once
// The small rules of Google Benchmark JSON that every reader and writer of
// poolbench needs, each in one place: the names' suffixes, time units, and
// the bare NaN/Infinity words Google Benchmark writes.

#include <string>
#include <string_view>

namespace poolbench::results {

// Google Benchmark appends "/iterations:N", "/repeats:N" and "/manual_time"
// (or "/real_time", "/process_time") to the names of benchmarks run that
// way; they say nothing about the workload. The name without them.
[[nodiscard]] std::string without_run_suffixes(std::string_view name);

// Seconds in one `unit` ("ns", "us", "ms", "s"); throws std::invalid_argument
// for any other unit.
[[nodiscard]] double seconds_per_unit(std::string_view unit);

// The unit in which `seconds` reads as 10 or more (ns for anything under
// 10 us, s from 10 s on): compare.py prints whole units, so a value below 10
// would lose its digits there.
[[nodiscard]] std::string_view time_unit_for(double seconds);

// JSON text in which NaN, Infinity and -Infinity may stand as bare words
// outside strings (Google Benchmark's and Python's json output), with those
// words replaced by null: a reader sees an absent value, never a fake number.
[[nodiscard]] std::string without_non_finite_literals(std::string_view text);

}  // namespace poolbench::results
