#pragma once
// A testing hook: when the environment names a descriptor in
// POOLBENCH_EVENT_FD, poolbench writes one line to it at each point a test
// may want to act on ("timed NAME REPETITION" when the timed rounds of a
// repetition begin). Tests that signal poolbench or kill its server mid-run
// wait for that line instead of sleeping and hoping the run got there. Unset
// (every ordinary run), nothing is written anywhere: the program's own
// output stays as it is.

#include <string_view>

namespace poolbench::runner {

// Writes `line` and a newline to the event descriptor, if there is one.
// Never throws: a test that closed its end only loses its own events.
void announce_test_event(std::string_view line) noexcept;

}  // namespace poolbench::runner
