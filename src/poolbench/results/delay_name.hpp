#pragma once
// How a delay distribution is written in a result: one canonical spec for the
// workload's JSON ("lognormal:median=5ms,p99=100ms") and a name-safe form for
// Google Benchmark names ("lognormal_5ms_100ms"), which has no '/', ':', ','
// or '=' and so reads as one part of a name, in a filter and in a CSV cell.
//
//   spec                              name form
//   5ms                               5ms
//   uniform:1ms..9ms                  uniform_1ms_9ms
//   exp:5ms                           exp_5ms
//   lognormal:median=5ms,p99=100ms    lognormal_5ms_100ms
//   1ms:95,100ms:5                    1ms_95_100ms_5
//
// Durations and weights keep the text they were given (5000us stays 5000us).

#include <optional>
#include <string>
#include <string_view>

namespace poolbench::results {

// The spec without whitespace and with a lognormal's keys in the order
// median, p99. Throws std::invalid_argument (the delay parser's one line)
// when `spec` is not a valid delay.
[[nodiscard]] std::string canonical_delay_spec(std::string_view spec);

// The name form of a canonical spec.
[[nodiscard]] std::string delay_name_form(std::string_view canonical_spec);

// The canonical spec a name form stands for; nullopt when it stands for none.
[[nodiscard]] std::optional<std::string> delay_spec_from_name_form(std::string_view name_form);

}  // namespace poolbench::results
